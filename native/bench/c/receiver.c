/*
 * Benchmark receiver: accepts one connection at a time on 127.0.0.1:PORT,
 * reads and discards everything in a non-blocking busy loop (recv with
 * MSG_TRUNC: no copy, so the receiver is never the bottleneck), and at the
 * sender's end of stream writes back the byte count (8 bytes, little endian)
 * so the sender can verify every byte arrived. Runs until killed.
 *
 *   receiver PORT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 16) != 0) {
    perror("bind/listen");
    return 1;
  }
  printf("listening %s\n", argv[1]);
  fflush(stdout);
  static char scratch[4 << 20];
  for (;;) {
    int connection = accept(listener, NULL, NULL);
    if (connection < 0) continue;
    fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK);
    uint64_t total = 0;
    for (;;) {
      ssize_t n = recv(connection, scratch, sizeof scratch, MSG_TRUNC);
      if (n > 0) {
        total += (uint64_t)n;
      } else if (n == 0) {
        break;
      } else if (errno != EAGAIN && errno != EINTR) {
        perror("recv");
        break;
      }
    }
    fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) & ~O_NONBLOCK);
    unsigned char reply[8];
    for (int i = 0; i < 8; i++) reply[i] = (unsigned char)(total >> (8 * i));
    if (write(connection, reply, sizeof reply) != sizeof reply) perror("write");
    close(connection);
  }
}
