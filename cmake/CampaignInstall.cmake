# Install rules: headers, libraries, an exported CMake package and campaign.pc.
# Targets: campaign::campaign (libcampaign.a: C++ API and C API) and
# campaign::campaign_shared (libcampaign.so.1: the C API only).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CAMPAIGN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/campaign)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/campaign
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/campaign/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/campaign)
# The C ABI header, for both libcampaign.a and libcampaign.so.1.
if(TARGET campaign_shared)
  install(FILES ${PROJECT_SOURCE_DIR}/capi/include/campaign.h
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()

get_property(_campaign_targets GLOBAL PROPERTY CAMPAIGN_INSTALL_TARGETS)
install(TARGETS ${_campaign_targets}
  EXPORT campaignTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT campaignTargets NAMESPACE campaign:: DESTINATION ${CAMPAIGN_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/campaignConfig.cmake.in
  ${PROJECT_BINARY_DIR}/campaignConfig.cmake
  INSTALL_DESTINATION ${CAMPAIGN_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/campaignConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/campaignConfig.cmake
  ${PROJECT_BINARY_DIR}/campaignConfigVersion.cmake
  DESTINATION ${CAMPAIGN_CMAKE_DIR})

# The .pc file finds its prefix from its own place, so `cmake --install
# --prefix DIR` (or a moved tree) still gives right paths.
file(RELATIVE_PATH CAMPAIGN_PC_TO_PREFIX
  "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" CAMPAIGN_PC_TO_PREFIX "${CAMPAIGN_PC_TO_PREFIX}")
set(CAMPAIGN_PC_PATHS "prefix=\${pcfiledir}/${CAMPAIGN_PC_TO_PREFIX}
libdir=\${prefix}/${CMAKE_INSTALL_LIBDIR}
includedir=\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
foreach(pc campaign campaign-static)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
