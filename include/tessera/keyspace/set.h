// SetValue, a Redis set (7.0: intset, hashtable).
// A placeholder that lets Object compile and dispatch to it.
// TODO(#3): the real value type replaces this class (keeping the three members Object uses).
#pragma once

#include <cstddef>
#include <string_view>

namespace tessera::keyspace {

// TODO(#3): implement. Object relies on exactly these: a copy constructor (COPY, Object::Clone),
// MemoryUsage() and EncodingName().
class SetValue {
 public:
  // Bytes owned by the value, without the 16-byte object header that Object::MemoryUsage adds.
  size_t MemoryUsage() const { return 0; }
  // OBJECT ENCODING name of the current representation.
  std::string_view EncodingName() const { return "intset"; }
};

}  // namespace tessera::keyspace
