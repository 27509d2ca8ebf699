# The core's sources, one list per layer: the one place a source file is
# named. src/CMakeLists.txt builds each list once as an object library;
# fuzz/CMakeLists.txt (a separate clang project) and the benchmarks compile
# the same lists again with their own flags, never a copy of them.
# Paths are relative to src/.
#
#   model   <-  decode, encode  <-  client  ->  net      (capi -> client)
# model: the record, errors, IDs; no JSON, no HTTP.  decode: simdjson, no
# HTTP.  net: Beast/Asio/OpenSSL, nothing of campaigns.
set(CAMPAIGN_MODEL_SOURCES
  version.cpp
  model/error.cpp
  model/id.cpp
  model/status.cpp
  model/timestamp.cpp
  model/campaign.cpp
  model/call_status.cpp
  model/redact.cpp)
set(CAMPAIGN_DECODE_SOURCES
  decode/json_walk.cpp
  decode/record_builder.cpp
  decode/decoder.cpp
  decode/error_body.cpp
  decode/parser_alloc.cpp
  decode/pointer.cpp
  decode/page.cpp)
set(CAMPAIGN_ENCODE_SOURCES
  encode/canonical.cpp)
set(CAMPAIGN_NET_SOURCES
  net/endpoint.cpp
  net/tls_context.cpp
  net/transport.cpp
  net/exchange.cpp)
set(CAMPAIGN_CLIENT_SOURCES
  client/retry_policy.cpp
  client/rate_gate.cpp
  client/request_target.cpp
  client/request_op.cpp
  client/flight.cpp
  client/client.cpp
  client/batch.cpp
  client/listing.cpp)
