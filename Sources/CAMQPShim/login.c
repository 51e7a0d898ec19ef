#include "amqp_shim.h"

#include <amqp.h>
#include <string.h>

void reassure_amqp_login(void *state, const char *vhost, int channel_max, int frame_max,
                         int heartbeat, const char *user, const char *password,
                         const char *connection_name, void *reply_out) {
    amqp_table_entry_t capabilities[5];
    capabilities[0].key = amqp_cstring_bytes("publisher_confirms");
    capabilities[1].key = amqp_cstring_bytes("basic.nack");
    capabilities[2].key = amqp_cstring_bytes("connection.blocked");
    capabilities[3].key = amqp_cstring_bytes("consumer_cancel_notify");
    // Without this the broker drops the socket on a wrong password instead of saying why.
    capabilities[4].key = amqp_cstring_bytes("authentication_failure_close");
    for (int i = 0; i < 5; i++) {
        capabilities[i].value.kind = AMQP_FIELD_KIND_BOOLEAN;
        capabilities[i].value.value.boolean = 1;
    }

    amqp_table_entry_t properties[3];
    properties[0].key = amqp_cstring_bytes("capabilities");
    properties[0].value.kind = AMQP_FIELD_KIND_TABLE;
    properties[0].value.value.table.num_entries = 5;
    properties[0].value.value.table.entries = capabilities;
    properties[1].key = amqp_cstring_bytes("connection_name");
    properties[1].value.kind = AMQP_FIELD_KIND_UTF8;
    properties[1].value.value.bytes = amqp_cstring_bytes(connection_name ? connection_name : "reassure");
    properties[2].key = amqp_cstring_bytes("product");
    properties[2].value.kind = AMQP_FIELD_KIND_UTF8;
    properties[2].value.value.bytes = amqp_cstring_bytes("reassure");

    amqp_table_t table = {.num_entries = 3, .entries = properties};
    *(amqp_rpc_reply_t *)reply_out =
        amqp_login_with_properties((amqp_connection_state_t)state, vhost, channel_max, frame_max,
                                   heartbeat, &table, AMQP_SASL_METHOD_PLAIN, user, password);
}
