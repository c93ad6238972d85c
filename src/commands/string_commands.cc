// String commands (GET, SET and family).
#include "commands/util.h"
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

void Get(Call& c) {
  keyspace::Object* o = c.db().Find(c.arg(1), c.now_ms());
  if (o == nullptr) {
    c.w.Null();
    return;
  }
  if (!o->is_string()) {
    c.WrongType();
    return;
  }
  c.w.Bulk(o->str());
}

void Set(Call& c) {
  c.db().Set(c.arg(1), keyspace::Object(c.arg(2)));
  c.Touched(c.arg(1));
  c.Ok();
}

}  // namespace

void RegisterStringCommands(CommandTable& t) {
  t.Register("get", Get);
  t.Register("set", Set);
}

}  // namespace tessera::commands
