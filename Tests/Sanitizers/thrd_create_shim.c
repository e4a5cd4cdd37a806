/*
 * ThreadSanitizer intercepts pthread_create and the pthread mutex and condition-variable
 * calls, but not their C11 counterparts (thrd_create, mtx_lock, cnd_wait, ...), which
 * Debian's librdkafka uses. Without this shim, Swift code called back on a librdkafka
 * thread crashes inside TSan's runtime (it never saw the thread start), and every hand-off
 * through librdkafka's queues looks like a race (TSan never saw the locks).
 *
 * Preloading this library routes the C11 calls to the pthread ones, which glibc implements
 * them with anyway, so TSan sees librdkafka's threads and synchronisation. Used only by
 * `make check`.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>
#include <time.h>

static int result(int error) {
        switch (error) {
        case 0: return thrd_success;
        case ETIMEDOUT: return thrd_timedout;
        case EBUSY: return thrd_busy;
        case ENOMEM:
        case EAGAIN: return thrd_nomem;
        default: return thrd_error;
        }
}

struct start {
        thrd_start_t function;
        void *argument;
};

static void *trampoline(void *opaque) {
        struct start start = *(struct start *)opaque;
        free(opaque);
        return (void *)(intptr_t)start.function(start.argument);
}

int thrd_create(thrd_t *thread, thrd_start_t function, void *argument) {
        struct start *start = malloc(sizeof(*start));
        if (!start)
                return thrd_nomem;
        start->function = function;
        start->argument = argument;
        int error = pthread_create(thread, NULL, trampoline, start);
        if (error)
                free(start);
        return result(error);
}

int thrd_join(thrd_t thread, int *code) {
        void *value;
        int error = pthread_join(thread, &value);
        if (!error && code)
                *code = (int)(intptr_t)value;
        return result(error);
}

int thrd_detach(thrd_t thread) { return result(pthread_detach(thread)); }

int mtx_init(mtx_t *mutex, int type) {
        pthread_mutexattr_t attributes;
        pthread_mutexattr_init(&attributes);
        if (type & mtx_recursive)
                pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
        int error = pthread_mutex_init((pthread_mutex_t *)mutex, &attributes);
        pthread_mutexattr_destroy(&attributes);
        return result(error);
}

void mtx_destroy(mtx_t *mutex) { pthread_mutex_destroy((pthread_mutex_t *)mutex); }
int mtx_lock(mtx_t *mutex) { return result(pthread_mutex_lock((pthread_mutex_t *)mutex)); }
int mtx_trylock(mtx_t *mutex) { return result(pthread_mutex_trylock((pthread_mutex_t *)mutex)); }
int mtx_unlock(mtx_t *mutex) { return result(pthread_mutex_unlock((pthread_mutex_t *)mutex)); }
int mtx_timedlock(mtx_t *restrict mutex, const struct timespec *restrict deadline) {
        return result(pthread_mutex_timedlock((pthread_mutex_t *)mutex, deadline));
}

int cnd_init(cnd_t *condition) { return result(pthread_cond_init((pthread_cond_t *)condition, NULL)); }
void cnd_destroy(cnd_t *condition) { pthread_cond_destroy((pthread_cond_t *)condition); }
int cnd_signal(cnd_t *condition) { return result(pthread_cond_signal((pthread_cond_t *)condition)); }
int cnd_broadcast(cnd_t *condition) { return result(pthread_cond_broadcast((pthread_cond_t *)condition)); }
int cnd_wait(cnd_t *condition, mtx_t *mutex) {
        return result(pthread_cond_wait((pthread_cond_t *)condition, (pthread_mutex_t *)mutex));
}
int cnd_timedwait(cnd_t *restrict condition, mtx_t *restrict mutex, const struct timespec *restrict deadline) {
        return result(pthread_cond_timedwait((pthread_cond_t *)condition, (pthread_mutex_t *)mutex, deadline));
}
