// The plain-C baseline for `reassure bench amqp`: the simplest correct loops over rabbitmq-c,
// written the way its examples are, so the Swift wrapper is measured against the library itself.
#include "amqp_shim.h"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int reply_error(amqp_rpc_reply_t reply) {
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) return 0;
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) return reply.library_error ? reply.library_error : -1;
    return -1000;
}

static amqp_connection_state_t open_connection(const char *host, int port, const char *user,
                                               const char *password, const char *vhost, int *error) {
    amqp_connection_state_t conn = amqp_new_connection();
    amqp_socket_t *socket = amqp_tcp_socket_new(conn);
    if (!socket || amqp_socket_open(socket, host, port) != AMQP_STATUS_OK) {
        *error = AMQP_STATUS_SOCKET_ERROR;
        amqp_destroy_connection(conn);
        return NULL;
    }
    amqp_rpc_reply_t login;
    reassure_amqp_login(conn, vhost, 0, 131072, 30, user, password, "reassure-bench-c", &login);
    *error = reply_error(login);
    if (*error == 0) {
        amqp_channel_open(conn, 1);
        *error = reply_error(amqp_get_rpc_reply(conn));
    }
    if (*error != 0) {
        amqp_destroy_connection(conn);
        return NULL;
    }
    return conn;
}

static void close_connection(amqp_connection_state_t conn) {
    amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(conn);
}

reassure_c_bench_result reassure_c_bench_publish(const char *host, int port, const char *user,
                                                 const char *password, const char *vhost,
                                                 const char *queue, uint64_t count, size_t size,
                                                 int window) {
    reassure_c_bench_result result = {0, 0, 0};
    amqp_connection_state_t conn = open_connection(host, port, user, password, vhost, &result.error);
    if (!conn) return result;
    amqp_confirm_select(conn, 1);
    if ((result.error = reply_error(amqp_get_rpc_reply(conn))) != 0) {
        close_connection(conn);
        return result;
    }

    char *payload = malloc(size);
    memset(payload, 'x', size);
    amqp_bytes_t body = {.len = size, .bytes = payload};
    amqp_basic_properties_t props;
    props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
    props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    props.content_type = amqp_cstring_bytes("application/octet-stream");

    uint64_t published = 0, confirmed = 0;
    double start = now_seconds();
    while (confirmed < count && result.error == 0) {
        while (published < count && published - confirmed < (uint64_t)window) {
            int status = amqp_basic_publish(conn, 1, amqp_empty_bytes, amqp_cstring_bytes(queue), 0, 0,
                                            &props, body);
            if (status != AMQP_STATUS_OK) { result.error = status; break; }
            published++;
        }
        amqp_frame_t frame;
        int status = amqp_simple_wait_frame(conn, &frame);
        if (status != AMQP_STATUS_OK) { result.error = status; break; }
        if (frame.frame_type != AMQP_FRAME_METHOD) continue;
        if (frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
            amqp_basic_ack_t *ack = frame.payload.method.decoded;
            uint64_t tag = ack->delivery_tag;
            confirmed = ack->multiple ? tag : confirmed + 1;
        } else if (frame.payload.method.id == AMQP_BASIC_NACK_METHOD) {
            result.error = -2000;
        } else if (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD) {
            result.error = -3000;
        }
        amqp_maybe_release_buffers(conn);
    }
    result.seconds = now_seconds() - start;
    result.messages = confirmed;
    free(payload);
    close_connection(conn);
    return result;
}

reassure_c_bench_result reassure_c_bench_consume(const char *host, int port, const char *user,
                                                 const char *password, const char *vhost,
                                                 const char *queue, uint64_t count,
                                                 int prefetch) {
    reassure_c_bench_result result = {0, 0, 0};
    amqp_connection_state_t conn = open_connection(host, port, user, password, vhost, &result.error);
    if (!conn) return result;
    amqp_basic_qos(conn, 1, 0, (uint16_t)prefetch, 0);
    amqp_basic_consume(conn, 1, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    if ((result.error = reply_error(amqp_get_rpc_reply(conn))) != 0) {
        close_connection(conn);
        return result;
    }
    double start = now_seconds();
    while (result.messages < count) {
        amqp_envelope_t envelope;
        amqp_maybe_release_buffers(conn);
        amqp_rpc_reply_t reply = amqp_consume_message(conn, &envelope, NULL, 0);
        if (reply.reply_type != AMQP_RESPONSE_NORMAL) { result.error = reply_error(reply); break; }
        int status = amqp_basic_ack(conn, 1, envelope.delivery_tag, 0);
        amqp_destroy_envelope(&envelope);
        if (status != AMQP_STATUS_OK) { result.error = status; break; }
        result.messages++;
    }
    result.seconds = now_seconds() - start;
    close_connection(conn);
    return result;
}
