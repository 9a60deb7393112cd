/*
 * HTTP/1.1 keep-alive load client for large bodies, where wrk's 8 KiB reads
 * saturate its own core first. CONNECTIONS connections each send GET PATH,
 * read the headers, drop the body with recv(MSG_TRUNC) (no copy), check the
 * status and the body's length (Content-Length or chunked), and send the next
 * request, for SECONDS seconds.
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

typedef enum { HEAD, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILERS } State;

typedef struct {
  int fd;
  char buf[8192 + 1];  // bytes read but not parsed yet (the head, chunk-size lines, CRLFs), NUL-terminated
  size_t len;
  State state;
  long long remaining;  // body (LENGTH) or chunk (CHUNK_DATA) bytes still to come
  long long body;       // body bytes of this response so far
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
  c->len = 0;
  c->state = HEAD;
  c->body = 0;
  return send(c->fd, request, request_len, MSG_NOSIGNAL) == (ssize_t)request_len ? 0 : -1;
}

static void drop(Connection *c, size_t n) {
  memmove(c->buf, c->buf + n, c->len - n);
  c->len -= n;
  c->buf[c->len] = '\0';
}

static void count_body(Connection *c, long long n) {
  c->remaining -= n;
  c->body += n;
  bytes += n;
}

/* The response ended: check its body length. */
static void finish(Connection *c) {
  if (c->body != expected_length) errors++;
  requests++;
  c->state = HEAD;
}

/* Parses what c->buf holds; returns 1 when a response ended, 0 when more bytes are needed. */
static int parse(Connection *c) {
  for (;;) {
    if (c->state == LENGTH || c->state == CHUNK_DATA) {
      long long take = c->remaining < (long long)c->len ? c->remaining : (long long)c->len;
      count_body(c, take);
      drop(c, (size_t)take);
      if (c->remaining > 0) return 0;
      if (c->state == LENGTH) {
        finish(c);
        return 1;
      }
      c->state = CHUNK_CRLF;
      continue;
    }
    char *eol = memmem(c->buf, c->len, "\r\n", 2);
    if (c->state == HEAD) eol = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!eol) {
      if (c->len == sizeof c->buf - 1) {  // a line or head that does not fit: give up on it
        errors++;
        c->len = 0;
      }
      return 0;
    }
    size_t line = eol - c->buf;
    switch (c->state) {
      case HEAD: {
        long long length = -1;
        int chunked = 0;
        if (strncmp(c->buf, "HTTP/1.1 200", 12) != 0) errors++;
        for (char *h = c->buf; h < eol; h = strstr(h, "\r\n") + 2) {
          char *end = strstr(h, "\r\n");
          if (strncasecmp(h, "content-length:", 15) == 0) length = atoll(h + 15);
          if (strncasecmp(h, "transfer-encoding:", 18) == 0 && memmem(h, end - h, "chunked", 7)) chunked = 1;
        }
        drop(c, line + 4);
        if (chunked) c->state = CHUNK_SIZE;
        else {
          c->state = LENGTH;
          c->remaining = length < 0 ? 0 : length;
          if (length < 0) errors++;
        }
        break;
      }
      case CHUNK_SIZE: {
        long long size = strtoll(c->buf, NULL, 16);
        drop(c, line + 2);
        if (size == 0) c->state = TRAILERS;
        else {
          c->state = CHUNK_DATA;
          c->remaining = size;
        }
        break;
      }
      case CHUNK_CRLF:
        if (line != 0) errors++;
        drop(c, line + 2);
        c->state = CHUNK_SIZE;
        break;
      case TRAILERS:
        drop(c, line + 2);
        if (line == 0) {
          finish(c);
          return 1;
        }
        break;
      default:
        return 0;
    }
  }
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
        int bulk = (c->state == LENGTH || c->state == CHUNK_DATA) && c->len == 0 && c->remaining > 0;
        if (bulk) {
          size_t want = c->remaining < (long long)sizeof discard ? (size_t)c->remaining : sizeof discard;
          n = recv(c->fd, discard, want, MSG_TRUNC);
          if (n > 0) count_body(c, n);
        } else {
          n = recv(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len, 0);
          if (n > 0) c->buf[c->len += n] = '\0';
        }
        if (n == 0) {
          fprintf(stderr, "server closed a connection\n");
          return 1;
        }
        if (n < 0) {
          if (errno != EAGAIN) errors++;
          break;
        }
        if (bulk && c->remaining == 0 && c->state == LENGTH) finish(c);
        else if (bulk && c->remaining == 0) c->state = CHUNK_CRLF;
        else if (!parse(c)) continue;
        if (c->state == HEAD) {
          if (c->len > 0) {  // bytes after the end of a response: the server sent more than it said
            errors++;
            c->len = 0;
          }
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
