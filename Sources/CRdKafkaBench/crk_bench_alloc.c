/*
 * Counts the process's heap allocations, for rdkafka-bench's allocations-per-record
 * figure (the load-independent proof that, for example, tracing off costs no allocation).
 *
 * The executable defines malloc and its siblings, so every caller in the process (Swift's
 * runtime, librdkafka, glibc itself) resolves to these definitions (ELF symbol
 * interposition, which glibc supports for its allocator); each counts one allocation and
 * forwards to glibc's implementation. free() is not interposed: the memory is glibc's.
 * A relaxed atomic add per allocation is the whole cost, paid by both sides alike.
 *
 * Under AddressSanitizer or ThreadSanitizer the sanitizer owns malloc: nothing is
 * interposed and crk_allocation_count() returns -1.
 */
#define _GNU_SOURCE
#include "CRdKafkaBench.h"

#include <errno.h>
#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CRK_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CRK_SANITIZED 1
#endif

#if defined(__linux__) && defined(__GLIBC__) && !defined(CRK_SANITIZED)

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static unsigned long long allocations;

static inline void counted(void) {
    __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t size) {
    counted();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    counted();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    counted();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    counted();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    counted();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    counted();
    void *pointer = __libc_memalign(alignment, size);
    if (!pointer && size)
        return ENOMEM;
    *out = pointer;
    return 0;
}

long long crk_allocation_count(void) {
    return (long long)__atomic_load_n(&allocations, __ATOMIC_RELAXED);
}

#else

long long crk_allocation_count(void) {
    return -1;
}

#endif
