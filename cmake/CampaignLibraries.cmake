# The two libraries, made from the layers' objects (src/, capi/), compiled once:
#   campaign_lib    -> libcampaign.a      campaign::campaign: the C++ API and the C API
#   campaign_shared -> libcampaign.so.1   campaign::campaign_shared: the C API only,
#                      exporting nothing but campaign_* (hidden visibility, a
#                      version script, no Boost, OpenSSL or simdjson symbols)
# Every layer campaign_layer() made (src/, capi/: included after both).
campaign_layers(_campaign_layers)
set(_campaign_objects "")
foreach(layer IN LISTS _campaign_layers)
  list(APPEND _campaign_objects $<TARGET_OBJECTS:campaign_${layer}>)
endforeach()
# Used by the public C++ headers (Boost.System's result, Asio's completion
# tokens) and by every build of the core; the rest is private.
set(_campaign_public_deps Boost::headers Threads::Threads)
set(_campaign_private_deps Boost::url simdjson::simdjson OpenSSL::SSL OpenSSL::Crypto)

add_library(campaign_lib STATIC ${_campaign_objects})
add_library(campaign::campaign ALIAS campaign_lib)
# The target is campaign_lib (the CLI executable is `campaign`).
set_target_properties(campaign_lib PROPERTIES OUTPUT_NAME campaign EXPORT_NAME campaign)
target_include_directories(campaign_lib PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/capi/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(campaign_lib PUBLIC cxx_std_20)
target_link_libraries(campaign_lib PUBLIC ${_campaign_public_deps} PRIVATE ${_campaign_private_deps})

add_library(campaign_shared SHARED ${_campaign_objects})
add_library(campaign::campaign_shared ALIAS campaign_shared)
target_include_directories(campaign_shared PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/capi/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_link_libraries(campaign_shared PRIVATE ${_campaign_public_deps} ${_campaign_private_deps})
set(_campaign_map ${PROJECT_SOURCE_DIR}/capi/campaign.map)
target_link_options(campaign_shared PRIVATE
  -Wl,--version-script=${_campaign_map}
  -Wl,--exclude-libs,ALL
  -Wl,--no-undefined)
set_target_properties(campaign_shared PROPERTIES
  OUTPUT_NAME campaign
  EXPORT_NAME campaign_shared
  VERSION ${PROJECT_VERSION}
  SOVERSION ${CAMPAIGN_ABI_MAJOR}
  LINK_DEPENDS ${_campaign_map})

set_property(GLOBAL APPEND PROPERTY CAMPAIGN_INSTALL_TARGETS campaign_lib campaign_shared)

# The same .pc files for this build tree (build/pkgconfig), so the Go binding
# and other pkg-config users can build against it without installing.
set(CAMPAIGN_PC_PATHS "libdir=$<TARGET_FILE_DIR:campaign_lib>
includedir=${PROJECT_SOURCE_DIR}/capi/include")
foreach(pc campaign campaign-static)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc.gen @ONLY)
  file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc
    INPUT ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc.gen)
endforeach()
