// The one C door to ZeroMQ (libzmq, LGPL-3.0 with a static-linking exception; linked
// dynamically): contexts, sockets, multipart messages and poll, for the Jupyter kernel.
#include <zmq.h>
