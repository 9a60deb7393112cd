/*
 * Reference sender, the floor every other sender is compared with: after a
 * warm-up of WARMUP_SECONDS, sends a file REPEAT times over one loopback TCP
 * connection with sendfile(2) on a non-blocking socket (poll on EAGAIN), shuts
 * down its side, reads back the receiver's byte count (less the warm-up's) and
 * prints one JSON line:
 *   {"seconds":..,"cpuSeconds":..,"maxRssKiB":..,"bytes":..,"verified":true}
 *
 *   sendfile-sender PORT FILE REPEAT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WARMUP_SECONDS 0.5

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static int send_file(int sock, int file, off_t size) {
  off_t offset = 0;
  while (offset < size) {
    size_t chunk = size - offset > (2 << 20) ? (2 << 20) : (size_t)(size - offset);
    ssize_t n = sendfile(sock, file, &offset, chunk);
    if (n > 0) continue;
    if (n < 0 && errno == EAGAIN) {
      struct pollfd p = {.fd = sock, .events = POLLOUT};
      poll(&p, 1, -1);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    perror("sendfile");
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s PORT FILE REPEAT\n", argv[0]);
    return 2;
  }
  int file = open(argv[2], O_RDONLY);
  struct stat st;
  if (file < 0 || fstat(file, &st) != 0) {
    perror(argv[2]);
    return 1;
  }
  long repeat = atol(argv[3]);
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(sock, (struct sockaddr *)&address, sizeof address) != 0) {
    perror("connect");
    return 1;
  }
  fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) | O_NONBLOCK);
  // Warm-up, not timed, as long as the Node senders' (socket-sender.mjs, WARMUP_MS): the
  // connection reaches the same steady state (send buffer and receive window grown) before either
  // is measured. Timed from connect, this sender measured a young connection, which was faster:
  // at 1 MiB, 6.30 against 5.82 GB/s warmed (medians of 60 alternating runs).
  long warmup = 0;
  for (double until = now() + WARMUP_SECONDS; now() < until; warmup++)
    if (send_file(sock, file, st.st_size)) return 1;
  double start = now(), cpu_start = cpu();
  for (long r = 0; r < repeat; r++)
    if (send_file(sock, file, st.st_size)) return 1;
  shutdown(sock, SHUT_WR);
  fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) & ~O_NONBLOCK);
  unsigned char reply[8];
  size_t got = 0;
  while (got < sizeof reply) {
    ssize_t n = read(sock, reply + got, sizeof reply - got);
    if (n <= 0) break;
    got += n;
  }
  double seconds = now() - start, cpu_seconds = cpu() - cpu_start;
  uint64_t received = 0;
  for (int i = 0; i < 8; i++) received |= (uint64_t)reply[i] << (8 * i);
  received -= (uint64_t)st.st_size * warmup;
  uint64_t expected = (uint64_t)st.st_size * repeat;
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  printf("{\"seconds\":%.6f,\"cpuSeconds\":%.6f,\"maxRssKiB\":%ld,\"bytes\":%llu,\"verified\":%s}\n", seconds, cpu_seconds, u.ru_maxrss,
         (unsigned long long)received, received == expected ? "true" : "false");
  return received == expected ? 0 : 1;
}
