// Batched UDP I/O for the nameserver (Linux): one recvmmsg(2) reads up to BATCH datagrams, one
// call into JavaScript answers them all, one sendmmsg(2) sends the replies.
//
// Why: with node:dgram every datagram costs a libuv read, a JS callback with fresh objects and a
// sendto(2); on one core that caps a server that does NO work at ~170k answers/s (measured,
// README "Benchmark"), below the target set against NSD, which batches the same way.
//
// Memory: JavaScript allocates the four buffers and hands them over once; the addon keeps
// references so they live as long as the socket. Per batch:
//   in_data[i * in_slot ..]  datagram i        in_len[i]  its length (0: truncated, drop it)
//   out_data[i * out_slot ..] reply to i       out_len[i] its length (0: no reply)
//   peer[i * PEER_WORDS ..]   where datagram i came from: family (4 or 6, 0 unknown), then the
//                             address as four 32-bit words in host order (IPv4, and IPv4-mapped
//                             IPv6, in the first word, the others 0)
// The peer words let JavaScript rate-limit per client prefix (nameserver/rrl.ts) without a string
// or an object per datagram; they are optional (older callers pass 9 arguments).
// Replies go to the address datagram i came from. Only the JS callback touches the buffers,
// and only while it runs (the event loop is single-threaded), so no locking is needed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#define BATCH 64
// Batches per readiness event before yielding to the event loop (TCP, timers, NOTIFY handling).
#define MAX_ROUNDS 32
// 32-bit words per datagram in the peer buffer: family + 128 bits of address.
#define PEER_WORDS 5

typedef struct {
  int fd;
  int closing;
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_ref buffers[5];
  int buffer_count;
  napi_async_context async_context;
  uint8_t *in_data;
  uint32_t *in_len;
  uint8_t *out_data;
  uint32_t *out_len;
  uint32_t *peer; // NULL when the caller did not ask for peer addresses
  size_t in_slot;
  size_t out_slot;
  struct mmsghdr in_msgs[BATCH];
  struct iovec in_iov[BATCH];
  struct sockaddr_storage peers[BATCH];
  struct mmsghdr out_msgs[BATCH];
  struct iovec out_iov[BATCH];
} batch_socket;

#define CHECK(env, call)                                   \
  do {                                                     \
    if ((call) != napi_ok) {                               \
      napi_throw_error((env), NULL, "udp_batch: " #call);  \
      return NULL;                                         \
    }                                                      \
  } while (0)

static void call_js(batch_socket *s, int count) {
  napi_env env = s->env;
  napi_handle_scope scope;
  napi_value callback, receiver, argv[1], result;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_get_reference_value(env, s->callback, &callback);
  napi_get_global(env, &receiver);
  napi_create_uint32(env, (uint32_t)count, &argv[0]);
  if (napi_make_callback(env, s->async_context, receiver, callback, 1, argv, &result) == napi_pending_exception) {
    // The JS side catches per datagram; anything escaping is a bug that must not stop serving.
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
  napi_close_handle_scope(env, scope);
}

static uint32_t word_at(const uint8_t *b) {
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | (uint32_t)b[3];
}

// The client's address as family + four host-order words (see the layout above). An IPv4-mapped
// IPv6 peer (::ffff:a.b.c.d on a dual-stack socket) is reported as the IPv4 address it is, so
// that it falls in the same rate-limiting prefix as when it arrives over IPv4.
static void write_peer(uint32_t *out, const struct sockaddr_storage *peer) {
  out[1] = out[2] = out[3] = out[4] = 0;
  if (peer->ss_family == AF_INET) {
    out[0] = 4;
    out[1] = ntohl(((const struct sockaddr_in *)peer)->sin_addr.s_addr);
  } else if (peer->ss_family == AF_INET6) {
    const struct in6_addr *a = &((const struct sockaddr_in6 *)peer)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a)) {
      out[0] = 4;
      out[1] = word_at(a->s6_addr + 12);
    } else {
      out[0] = 6;
      for (int k = 0; k < 4; k++) out[1 + k] = word_at(a->s6_addr + 4 * k);
    }
  } else {
    out[0] = 0;
  }
}

static void send_replies(batch_socket *s, int count) {
  int m = 0;
  for (int i = 0; i < count; i++) {
    if (s->out_len[i] == 0 || s->out_len[i] > s->out_slot) continue;
    s->out_iov[m].iov_base = s->out_data + (size_t)i * s->out_slot;
    s->out_iov[m].iov_len = s->out_len[i];
    struct msghdr *h = &s->out_msgs[m].msg_hdr;
    memset(h, 0, sizeof *h);
    h->msg_iov = &s->out_iov[m];
    h->msg_iovlen = 1;
    h->msg_name = &s->peers[i];
    h->msg_namelen = s->in_msgs[i].msg_hdr.msg_namelen;
    m++;
  }
  // A full send buffer drops the rest, as an overloaded UDP server must (clients retry).
  for (int sent = 0; sent < m;) {
    int r = sendmmsg(s->fd, s->out_msgs + sent, (unsigned)(m - sent), MSG_DONTWAIT);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    sent += r;
  }
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  batch_socket *s = handle->data;
  if (status < 0 || s->closing) return;
  for (int round = 0; round < MAX_ROUNDS && !s->closing; round++) {
    for (int i = 0; i < BATCH; i++) s->in_msgs[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
    int n = recvmmsg(s->fd, s->in_msgs, BATCH, MSG_DONTWAIT, NULL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (int i = 0; i < n; i++) {
      int truncated = (s->in_msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
      s->in_len[i] = truncated ? 0 : s->in_msgs[i].msg_len;
      s->out_len[i] = 0;
      if (s->peer) write_peer(s->peer + (size_t)i * PEER_WORDS, &s->peers[i]);
    }
    call_js(s, n);
    if (s->closing) break;
    send_replies(s, n);
    if (n < BATCH) break;
  }
}

static void on_closed(uv_handle_t *handle) {
  batch_socket *s = handle->data;
  close(s->fd);
  free(s);
}

static void *buffer_data(napi_env env, napi_value value, size_t *length) {
  void *data = NULL;
  if (napi_get_buffer_info(env, value, &data, length) != napi_ok) return NULL;
  return data;
}

// open(address, port, inData, inLen, outData, outLen, inSlot, outSlot, onBatch[, peer])
//   -> { handle, port, batch, peerWords }
static napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 9 && argc != 10) {
    napi_throw_type_error(env, NULL, "udp_batch.open: expected 9 or 10 arguments");
    return NULL;
  }
  char address[INET6_ADDRSTRLEN + 1];
  size_t address_length;
  uint32_t port, in_slot, out_slot;
  CHECK(env, napi_get_value_string_utf8(env, argv[0], address, sizeof address, &address_length));
  CHECK(env, napi_get_value_uint32(env, argv[1], &port));
  CHECK(env, napi_get_value_uint32(env, argv[6], &in_slot));
  CHECK(env, napi_get_value_uint32(env, argv[7], &out_slot));

  size_t lengths[4];
  void *data[4];
  for (int i = 0; i < 4; i++) {
    data[i] = buffer_data(env, argv[2 + i], &lengths[i]);
    if (!data[i]) {
      napi_throw_type_error(env, NULL, "udp_batch.open: buffers expected");
      return NULL;
    }
  }
  if (lengths[0] < (size_t)BATCH * in_slot || lengths[1] < BATCH * sizeof(uint32_t) ||
      lengths[2] < (size_t)BATCH * out_slot || lengths[3] < BATCH * sizeof(uint32_t) ||
      ((uintptr_t)data[1] % 4) != 0 || ((uintptr_t)data[3] % 4) != 0) {
    napi_throw_range_error(env, NULL, "udp_batch.open: buffers too small or misaligned");
    return NULL;
  }
  void *peer = NULL;
  if (argc == 10) {
    size_t peer_length;
    peer = buffer_data(env, argv[9], &peer_length);
    if (!peer || peer_length < (size_t)BATCH * PEER_WORDS * sizeof(uint32_t) || ((uintptr_t)peer % 4) != 0) {
      napi_throw_range_error(env, NULL, "udp_batch.open: peer buffer missing, too small or misaligned");
      return NULL;
    }
  }

  struct sockaddr_storage bind_address;
  socklen_t bind_length;
  memset(&bind_address, 0, sizeof bind_address);
  struct sockaddr_in *v4 = (struct sockaddr_in *)&bind_address;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&bind_address;
  if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    bind_length = sizeof *v4;
  } else if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    bind_length = sizeof *v6;
  } else {
    napi_throw_error(env, "EINVAL", "udp_batch.open: not an IP address");
    return NULL;
  }

  int fd = socket(bind_address.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  int size = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  if (bind(fd, (struct sockaddr *)&bind_address, bind_length) < 0) {
    int e = errno;
    close(fd);
    napi_throw_error(env, e == EADDRINUSE ? "EADDRINUSE" : e == EACCES ? "EACCES" : NULL, strerror(e));
    return NULL;
  }
  struct sockaddr_storage bound;
  socklen_t bound_length = sizeof bound;
  getsockname(fd, (struct sockaddr *)&bound, &bound_length);
  uint16_t bound_port = ntohs(bound.ss_family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
                                                         : ((struct sockaddr_in6 *)&bound)->sin6_port);

  batch_socket *s = calloc(1, sizeof *s);
  s->fd = fd;
  s->env = env;
  s->in_data = data[0];
  s->in_len = data[1];
  s->out_data = data[2];
  s->out_len = data[3];
  s->peer = peer;
  s->in_slot = in_slot;
  s->out_slot = out_slot;
  for (int i = 0; i < BATCH; i++) {
    s->in_iov[i].iov_base = s->in_data + (size_t)i * in_slot;
    s->in_iov[i].iov_len = in_slot;
    s->in_msgs[i].msg_hdr.msg_iov = &s->in_iov[i];
    s->in_msgs[i].msg_hdr.msg_iovlen = 1;
    s->in_msgs[i].msg_hdr.msg_name = &s->peers[i];
  }
  for (int i = 0; i < 4; i++) napi_create_reference(env, argv[2 + i], 1, &s->buffers[i]);
  s->buffer_count = 4;
  if (peer) napi_create_reference(env, argv[9], 1, &s->buffers[s->buffer_count++]);
  napi_create_reference(env, argv[8], 1, &s->callback);
  napi_value resource, name;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "DNS_UDP_BATCH", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &s->async_context);

  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  uv_poll_init(loop, &s->poll, fd);
  s->poll.data = s;
  uv_poll_start(&s->poll, UV_READABLE, on_readable);

  napi_value result, handle, port_value;
  napi_create_object(env, &result);
  napi_create_external(env, s, NULL, NULL, &handle);
  napi_create_uint32(env, bound_port, &port_value);
  napi_set_named_property(env, result, "handle", handle);
  napi_set_named_property(env, result, "port", port_value);
  napi_value batch;
  napi_create_uint32(env, BATCH, &batch);
  napi_set_named_property(env, result, "batch", batch);
  napi_value peer_words;
  napi_create_uint32(env, PEER_WORDS, &peer_words);
  napi_set_named_property(env, result, "peerWords", peer_words);
  return result;
}

// close(handle): stops reading and closes the socket (idempotent).
static napi_value Close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  batch_socket *s = NULL;
  CHECK(env, napi_get_value_external(env, argv[0], (void **)&s));
  if (!s || s->closing) return NULL;
  s->closing = 1;
  uv_poll_stop(&s->poll);
  for (int i = 0; i < s->buffer_count; i++) napi_delete_reference(env, s->buffers[i]);
  napi_delete_reference(env, s->callback);
  napi_async_destroy(env, s->async_context);
  uv_close((uv_handle_t *)&s->poll, on_closed);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"open", NULL, Open, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, Close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 2, properties);
  return exports;
}
