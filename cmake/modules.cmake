# tessera_module(name deps...): a static library from src/<name>/*.cc with include/ public.
# Sources are globbed so that adding a file to a module needs no CMake edit.
function(tessera_module name)
  file(GLOB srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cc)
  list(FILTER srcs EXCLUDE REGEX ".*/main\\.cc$")
  if(NOT srcs)
    set(srcs ${PROJECT_SOURCE_DIR}/cmake/empty.cc)
  endif()
  add_library(tessera_${name} STATIC ${srcs})
  target_include_directories(tessera_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                             PRIVATE ${PROJECT_SOURCE_DIR}/src)
  foreach(dep IN LISTS ARGN)
    target_link_libraries(tessera_${name} PUBLIC tessera_${dep})
  endforeach()
endfunction()

# tessera_tests(module): tests/<module>/*.cc into tessera_<module>_tests, discovered by CTest.
function(tessera_tests module)
  file(GLOB srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${module}/*.cc)
  if(NOT srcs)
    return()
  endif()
  add_executable(tessera_${module}_tests ${srcs})
  target_link_libraries(tessera_${module}_tests PRIVATE tessera_${module} Catch2::Catch2)
  target_include_directories(tessera_${module}_tests PRIVATE ${PROJECT_SOURCE_DIR}/src
                                                              ${PROJECT_SOURCE_DIR}/tests)
  catch_discover_tests(tessera_${module}_tests TEST_PREFIX "${module}: "
                       PROPERTIES TIMEOUT 120)
endfunction()
