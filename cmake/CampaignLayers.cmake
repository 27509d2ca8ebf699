# campaign_layer(<name> SOURCES <list> [INCLUDES dirs...] [LINK targets...]):
# one layer of the core as an object library named campaign_<name>. Sources
# are relative to the calling folder. Every layer is compiled once, PIC with
# hidden visibility, so the static and the shared library share its objects.
function(campaign_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;INCLUDES;LINK" ${ARGN})
  list(TRANSFORM L_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  add_library(campaign_${name} OBJECT ${L_SOURCES})
  target_include_directories(campaign_${name} PRIVATE ${L_INCLUDES})
  target_link_libraries(campaign_${name} PRIVATE ${L_LINK})
  target_compile_features(campaign_${name} PRIVATE cxx_std_20)
  # CAMPAIGN_BUILDING: CAMPAIGN_API is visibility("default"), all else hidden.
  target_compile_definitions(campaign_${name} PRIVATE CAMPAIGN_BUILDING)
  set_target_properties(campaign_${name} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  add_dependencies(campaign_${name} campaign_layers_check)
  campaign_warnings(campaign_${name})
  # The one list of the layers (campaign_layers()): the libraries take their
  # objects from it, and CheckLayers.cmake refuses a layer it has no rules for.
  set_property(TARGET campaign_layers_check APPEND PROPERTY CAMPAIGN_LAYERS ${name})
endfunction()

# campaign_layers(<var>): the layers campaign_layer() has made so far, in order.
function(campaign_layers var)
  get_target_property(_layers campaign_layers_check CAMPAIGN_LAYERS)
  if(NOT _layers)
    set(_layers "")
  endif()
  set(${var} ${_layers} PARENT_SCOPE)
endfunction()

# Fails the build when a source includes across a layer boundary the wrong
# way. The layers are read when the build is generated, after every
# campaign_layer() call.
add_custom_target(campaign_layers_check
  COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR}
    "-DLAYERS=$<TARGET_PROPERTY:campaign_layers_check,CAMPAIGN_LAYERS>"
    -P ${PROJECT_SOURCE_DIR}/cmake/CheckLayers.cmake
  COMMENT "Checking the layers' include arrows"
  VERBATIM)

