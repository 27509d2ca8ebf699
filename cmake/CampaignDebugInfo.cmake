# campaign_debug_info(<var>): ON when this build type compiles the core with
# full debug info (the C API's types in DWARF, which abidiff needs), else
# OFF. The last -g option of CMAKE_CXX_FLAGS and CMAKE_CXX_FLAGS_<TYPE>
# decides: -g, -g2, -g3, -ggdb[2|3], -gdwarf[-N] give it; -g0, -g1,
# -gline-tables-only (types left out) and -gsplit-dwarf (types in .dwo files)
# do not. A multi-config generator gives OFF: the type is chosen later.
function(campaign_debug_info var)
  set(_dwarf OFF)
  if(NOT CMAKE_CONFIGURATION_TYPES)
    string(TOUPPER "${CMAKE_BUILD_TYPE}" _type)
    separate_arguments(_flags UNIX_COMMAND "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_type}}")
    set(_split OFF)
    foreach(flag IN LISTS _flags)
      if(flag MATCHES "^-g(gdb)?[23]?$|^-gdwarf(-[0-9]+)?$")
        set(_dwarf ON)
      elseif(flag MATCHES "^-g(gdb)?[01]$|^-gline-tables-only$|^-gmlt$")
        set(_dwarf OFF)
      elseif(flag STREQUAL "-gsplit-dwarf")
        set(_split ON)
      endif()
    endforeach()
    if(_split)
      set(_dwarf OFF)
    endif()
  endif()
  set(${var} ${_dwarf} PARENT_SCOPE)
endfunction()
