/* campaign-bench-run: runs one benchmark client and measures that process
 * alone: wall time, user and system CPU time and peak RSS (wait4's rusage).
 *
 *   campaign-bench-run RESULT_FILE TIMEOUT_SECONDS PROGRAM [ARG...]
 *
 * Writes {"rc":..,"wall_s":..,"user_s":..,"sys_s":..,"maxrss_kib":..,"timed_out":..}
 * to RESULT_FILE. The child inherits stdin/stdout/stderr.
 *
 * Why a launcher: on Linux a process's ru_maxrss keeps the high-water mark
 * of the memory it had before execve, i.e. of the process it was forked
 * from. Forked from the Python driver, every client would report at least
 * the driver's RSS; forked from this small program, it reports its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t expired;
static void on_alarm(int sig) {
  (void)sig;
  expired = 1;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: campaign-bench-run RESULT_FILE TIMEOUT_SECONDS PROGRAM [ARG...]\n");
    return 2;
  }
  const char* result_path = argv[1];
  unsigned timeout = (unsigned)strtoul(argv[2], NULL, 10);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[3], argv + 3);
    fprintf(stderr, "campaign-bench-run: cannot run %s: %s\n", argv[3], strerror(errno));
    _exit(127);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm; /* no SA_RESTART: wait4 returns EINTR */
  sigaction(SIGALRM, &sa, NULL);
  if (timeout) alarm(timeout);
  int status = 0;
  struct rusage ru;
  for (;;) {
    pid_t r = wait4(pid, &status, 0, &ru);
    if (r == pid) break;
    if (r < 0 && errno == EINTR) {
      if (expired) kill(pid, SIGKILL);
      continue;
    }
    perror("wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE* f = fopen(result_path, "w");
  if (!f) {
    perror(result_path);
    return 2;
  }
  fprintf(f,
          "{\"rc\":%d,\"wall_s\":%.6f,\"user_s\":%.6f,\"sys_s\":%.6f,\"maxrss_kib\":%ld,\"timed_out\":%s}\n",
          rc, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
          (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
          (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss,
          expired ? "true" : "false");
  fclose(f);
  return 0;
}
