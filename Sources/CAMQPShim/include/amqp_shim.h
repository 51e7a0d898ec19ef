// Calls Swift cannot make itself: amqp_login_with_properties is variadic.
// Also the plain-C baseline that `reassure bench amqp` compares the Swift wrapper with.
#ifndef REASSURE_AMQP_SHIM_H
#define REASSURE_AMQP_SHIM_H

// This header deliberately does not include <amqp.h>: rabbitmq-c's declarations belong to the
// CRabbitMQ module alone (a second module owning them hides them from Swift in clean builds).
#include <stddef.h>
#include <stdint.h>

/// Logs in with PLAIN and advertises the capabilities RabbitMQ only honours when asked:
/// publisher confirms, basic.nack, connection.blocked, consumer_cancel_notify and
/// authentication_failure_close. `connection_name` is shown by the management UI.
/// `state` is an amqp_connection_state_t; the amqp_rpc_reply_t is written to `reply_out`.
void reassure_amqp_login(void *state, const char *vhost, int channel_max, int frame_max,
                         int heartbeat, const char *user, const char *password,
                         const char *connection_name, void *reply_out);

/// Result of one plain-C benchmark loop.
typedef struct {
    uint64_t messages;   // messages confirmed (publish) or acked (consume)
    double seconds;      // wall time of the loop itself, connection set-up excluded
    int error;           // 0 on success, otherwise a negative amqp status or a reply code
} reassure_c_bench_result;

/// Publishes `count` persistent messages of `size` bytes to `queue` through the default
/// exchange with publisher confirms, keeping at most `window` unconfirmed.
reassure_c_bench_result reassure_c_bench_publish(const char *host, int port, const char *user,
                                                 const char *password, const char *vhost,
                                                 const char *queue, uint64_t count, size_t size,
                                                 int window);

/// Consumes `count` messages from `queue` with prefetch `prefetch`, acking each one.
reassure_c_bench_result reassure_c_bench_consume(const char *host, int port, const char *user,
                                                 const char *password, const char *vhost,
                                                 const char *queue, uint64_t count,
                                                 int prefetch);

#endif
