# campaign_warnings(<target>): the project's own code builds warning-clean.
function(campaign_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Wold-style-cast>)
  if(CAMPAIGN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
