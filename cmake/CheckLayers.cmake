# cmake -DROOT=<source tree> -DLAYERS=<layer;...> -P cmake/CheckLayers.cmake
#   [-DEXTRA_FILE=<file> -DEXTRA_LAYER=<layer>]   also check one more file as part of a layer
# LAYERS is the build's list (campaign_layers(), cmake/CampaignLayers.cmake):
# a layer with no rules below fails, so a new layer cannot go unchecked.
# Fails when a file includes what its layer may not see. The layers' include
# paths already stop most wrong-way includes at compile time; this also
# catches system headers (simdjson.h, Beast, OpenSSL), which every layer
# could otherwise reach through /usr/include.
#
#   model   <-  decode, encode  <-  client  ->  net          capi -> public C++ API
cmake_minimum_required(VERSION 3.25)

set(_transport "boost/(beast|asio|url)|openssl/")
set(_private "\"(\\.\\./|net/|decode/|encode/|client/|model/)")

# layer: globs (relative to ROOT) and the regex of what it may not include.
set(model_files src/version.cpp src/model/*.cpp src/model/*.hpp
  include/campaign/model.hpp include/campaign/call_log.hpp include/campaign/error.hpp include/campaign/id.hpp
  include/campaign/rate_limit.hpp include/campaign/redact.hpp include/campaign/schema.hpp
  include/campaign/timestamp.hpp
  include/campaign/version.hpp.in)
set(model_forbidden "simdjson|boost/json|${_transport}|campaign/(decode|encode|client|options|campaign)\\.hpp|campaign\\.h[\">]|${_private}")

set(decode_files src/decode/*.cpp src/decode/*.hpp include/campaign/decode.hpp include/campaign/page.hpp)
set(decode_forbidden "boost/json|${_transport}|campaign/(encode|client|options|campaign)\\.hpp|campaign\\.h[\">]|\"(\\.\\./|net/|client/)")

set(encode_files src/encode/*.cpp src/encode/*.hpp include/campaign/encode.hpp)
set(encode_forbidden "simdjson|boost/json|${_transport}|campaign/(decode|client|options|campaign)\\.hpp|campaign\\.h[\">]|${_private}")

set(net_files src/net/*.cpp src/net/*.hpp)
set(net_forbidden "simdjson|boost/json|<campaign/|campaign\\.h[\">]|${_private}")

set(client_files src/client/*.cpp src/client/*.hpp include/campaign/client.hpp include/campaign/options.hpp include/campaign/listing.hpp)
set(client_forbidden "boost/json|campaign\\.h[\">]|\"\\.\\./")

set(capi_files capi/src/*.cpp capi/src/*.hpp)
set(capi_forbidden "simdjson|boost/json|boost/(beast|url)|openssl/|${_private}")

if(NOT LAYERS)
  message(FATAL_ERROR "CheckLayers.cmake: -DLAYERS=<the build's layers> is required")
endif()
set(_unchecked "")
foreach(layer IN LISTS LAYERS)
  if(NOT DEFINED ${layer}_files OR NOT DEFINED ${layer}_forbidden)
    list(APPEND _unchecked ${layer})
  endif()
endforeach()
if(_unchecked)
  message(FATAL_ERROR "layers without rules in cmake/CheckLayers.cmake "
    "(<layer>_files, <layer>_forbidden): ${_unchecked}")
endif()
if(EXTRA_LAYER AND NOT EXTRA_LAYER IN_LIST LAYERS)
  message(FATAL_ERROR "CheckLayers.cmake: EXTRA_LAYER ${EXTRA_LAYER} is not one of: ${LAYERS}")
endif()

set(_problems "")
if(EXTRA_FILE)
  get_filename_component(EXTRA_FILE "${EXTRA_FILE}" ABSOLUTE)
endif()
foreach(layer IN LISTS LAYERS)
  set(_files "")
  foreach(glob IN LISTS ${layer}_files)
    file(GLOB _found "${ROOT}/${glob}")
    list(APPEND _files ${_found})
  endforeach()
  if(EXTRA_FILE AND EXTRA_LAYER STREQUAL layer)
    list(APPEND _files "${EXTRA_FILE}")
  endif()
  foreach(f IN LISTS _files)
    file(STRINGS "${f}" _includes REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS _includes)
      if(line MATCHES "${${layer}_forbidden}")
        file(RELATIVE_PATH _rel "${ROOT}" "${f}")
        string(APPEND _problems "  ${_rel} (layer ${layer}): ${line}\n")
      endif()
    endforeach()
  endforeach()
endforeach()

if(_problems)
  message(FATAL_ERROR "wrong-way includes (docs/architecture.md, cmake/CheckLayers.cmake):\n${_problems}")
endif()
