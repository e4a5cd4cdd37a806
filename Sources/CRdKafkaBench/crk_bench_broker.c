/*
 * The benchmark's broker in a process of its own: rdkafka-bench starts itself with
 * --serve-broker (see BrokerServer.swift) through posix_spawn, reads the cluster's
 * bootstrap servers from the child's first output line, and asks for topics over its
 * stdin. The child exits when its stdin closes, so it never outlives the benchmark.
 * posix_spawn, not Foundation.Process, which crashes now and then on Swift 6.3.1 (Linux).
 */
#define _GNU_SOURCE
#include "crk_bench_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

static int read_line(FILE *in, char *buffer, size_t capacity) {
    if (!fgets(buffer, (int)capacity, in))
        return -1;
    buffer[strcspn(buffer, "\n")] = 0;
    return 0;
}

int crk_broker_start(const char *const *arguments, crk_broker *broker, char *error, size_t error_size) {
    char executable[4096];
    int to_child[2] = {-1, -1}, from_child[2] = {-1, -1};
    posix_spawn_file_actions_t actions;

    memset(broker, 0, sizeof(*broker));
    broker->pid = -1;
    ssize_t length = readlink("/proc/self/exe", executable, sizeof(executable) - 1);
    if (length <= 0) {
        snprintf(error, error_size, "cannot find this executable (/proc/self/exe)");
        return -1;
    }
    executable[length] = 0;

    if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
        snprintf(error, error_size, "pipe: %s", strerror(errno));
        goto fail;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);

    size_t count = 0;
    while (arguments[count])
        count++;
    char **argv = calloc(count + 2, sizeof(char *));
    if (!argv) {
        posix_spawn_file_actions_destroy(&actions);
        snprintf(error, error_size, "out of memory");
        goto fail;
    }
    argv[0] = executable;
    for (size_t i = 0; i < count; i++)
        argv[i + 1] = (char *)arguments[i];
    pid_t pid;
    int status = posix_spawn(&pid, executable, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    free(argv);
    if (status != 0) {
        snprintf(error, error_size, "posix_spawn %s: %s", executable, strerror(status));
        goto fail;
    }
    close(to_child[0]);
    close(from_child[1]);
    broker->pid = pid;
    broker->to_child = fdopen(to_child[1], "w");
    broker->from_child = fdopen(from_child[0], "r");
    if (!broker->to_child || !broker->from_child) {
        snprintf(error, error_size, "fdopen: %s", strerror(errno));
        crk_broker_stop(broker);
        return -1;
    }
    char line[1024] = "";
    if (read_line(broker->from_child, line, sizeof(line)) != 0 || strncmp(line, "bootstrap ", 10) != 0) {
        snprintf(error, error_size, "the broker process did not start (first line: '%s')", line);
        crk_broker_stop(broker);
        return -1;
    }
    snprintf(broker->bootstrap_servers, sizeof(broker->bootstrap_servers), "%s", line + 10);
    return 0;

fail:
    for (int i = 0; i < 2; i++) {
        if (to_child[i] >= 0)
            close(to_child[i]);
        if (from_child[i] >= 0)
            close(from_child[i]);
    }
    return -1;
}

int crk_broker_create_topic(crk_broker *broker, const char *topic, int partitions, char *error, size_t error_size) {
    char line[1024];
    if (!broker->to_child || fprintf(broker->to_child, "topic %s %d\n", topic, partitions) < 0 ||
        fflush(broker->to_child) != 0) {
        snprintf(error, error_size, "the broker process is gone");
        return -1;
    }
    if (read_line(broker->from_child, line, sizeof(line)) != 0) {
        snprintf(error, error_size, "the broker process did not answer");
        return -1;
    }
    if (strcmp(line, "ok") != 0) {
        snprintf(error, error_size, "%s", line);
        return -1;
    }
    return 0;
}

void crk_broker_stop(crk_broker *broker) {
    /* Closing its stdin is the signal to shut down. */
    if (broker->to_child) {
        fclose(broker->to_child);
        broker->to_child = NULL;
    }
    if (broker->pid > 0) {
        int status;
        for (int waited = 0; waited < 100; waited++) {
            pid_t answer = waitpid(broker->pid, &status, WNOHANG);
            if (answer == broker->pid || (answer < 0 && errno != EINTR))
                break;
            usleep(50000);
            if (waited == 99) {
                kill(broker->pid, SIGKILL);
                waitpid(broker->pid, &status, 0);
            }
        }
        broker->pid = -1;
    }
    if (broker->from_child) {
        fclose(broker->from_child);
        broker->from_child = NULL;
    }
}
