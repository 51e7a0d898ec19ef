// rabbitmq-c 0.11 (Debian librabbitmq-dev) installs its headers at the top of the include path.
#ifndef REASSURE_CRABBITMQ_SHIM_H
#define REASSURE_CRABBITMQ_SHIM_H
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#endif
