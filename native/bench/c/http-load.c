/*
 * HTTP/1.1 keep-alive load client for large bodies, where wrk's 8 KiB reads
 * saturate its own core first. CONNECTIONS connections each send GET PATH,
 * read the headers, drop the body with recv(MSG_TRUNC) (no copy), check the
 * status and Content-Length, and send the next request, for SECONDS seconds.
 * Prints one JSON line: {"requests":..,"bytes":..,"seconds":..,"errors":..}
 *
 *   http-load PORT PATH CONNECTIONS SECONDS EXPECTED_LENGTH
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  int fd;
  char head[8192];
  size_t head_len;
  long long body_left;  // -1 while reading headers
} Connection;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static char request[512];
static size_t request_len;
static long long expected_length;
static long long requests, bytes, errors;

static int send_request(Connection *c) {
  c->head_len = 0;
  c->body_left = -1;
  return send(c->fd, request, request_len, MSG_NOSIGNAL) == (ssize_t)request_len ? 0 : -1;
}

/* Parses the headers in c->head; returns body bytes already read, or -1 if incomplete. */
static long long parse_head(Connection *c) {
  char *end = memmem(c->head, c->head_len, "\r\n\r\n", 4);
  if (!end) return -1;
  size_t head_size = end + 4 - c->head;
  long long length = -1;
  if (strncmp(c->head, "HTTP/1.1 200", 12) != 0) errors++;
  for (char *line = c->head; line < end; line = strstr(line, "\r\n") + 2) {
    if (strncasecmp(line, "content-length:", 15) == 0) length = atoll(line + 15);
  }
  if (length != expected_length) errors++;
  c->body_left = length < 0 ? 0 : length;
  return (long long)(c->head_len - head_size);
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s PORT PATH CONNECTIONS SECONDS EXPECTED_LENGTH\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]), count = atoi(argv[3]);
  double seconds = atof(argv[4]);
  expected_length = atoll(argv[5]);
  request_len = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", argv[2]);
  int epoll = epoll_create1(0);
  Connection *connections = calloc(count, sizeof *connections);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  for (int i = 0; i < count; i++) {
    Connection *c = &connections[i];
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&address, sizeof address) != 0) {
      perror("connect");
      return 1;
    }
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &event);
  }
  double start = now(), deadline = start + seconds;
  for (int i = 0; i < count; i++) send_request(&connections[i]);
  struct epoll_event events[256];
  static char discard[4 << 20];
  while (now() < deadline) {
    int ready = epoll_wait(epoll, events, 256, 100);
    for (int e = 0; e < ready; e++) {
      Connection *c = events[e].data.ptr;
      for (;;) {
        ssize_t n;
        if (c->body_left < 0) {
          n = recv(c->fd, c->head + c->head_len, sizeof c->head - c->head_len, 0);
          if (n > 0) {
            c->head_len += n;
            long long extra = parse_head(c);
            if (extra >= 0) {
              c->body_left -= extra;
              bytes += extra;
            } else if (c->head_len == sizeof c->head) {
              errors++;
              c->head_len = 0;
            }
          }
        } else {
          size_t want = c->body_left < (long long)sizeof discard ? (size_t)c->body_left : sizeof discard;
          n = recv(c->fd, discard, want, MSG_TRUNC);
          if (n > 0) {
            c->body_left -= n;
            bytes += n;
          }
        }
        if (n == 0) {
          fprintf(stderr, "server closed a connection\n");
          return 1;
        }
        if (n < 0) {
          if (errno != EAGAIN) errors++;
          break;
        }
        if (c->body_left == 0) {
          requests++;
          if (now() >= deadline) break;
          if (send_request(c) != 0) errors++;
        }
      }
    }
  }
  double elapsed = now() - start;
  printf("{\"requests\":%lld,\"bytes\":%lld,\"seconds\":%.6f,\"errors\":%lld}\n", requests, bytes, elapsed, errors);
  return 0;
}
