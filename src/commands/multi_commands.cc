// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH, with Redis's EXECABORT rules.
#include "tessera/commands/engine.h"
#include "tessera/commands/errors.h"

namespace tessera::commands {
namespace {

void ResetMulti(Engine& e, ClientState& c) {
  c.in_multi = false;
  c.multi_dirty = false;
  c.queued.clear();
  e.Unwatch(c);
}

void Multi(Call& c) {
  if (c.client.in_multi) {
    c.Error(err::kMultiNested);
    return;
  }
  c.client.in_multi = true;
  c.Ok();
}

void Exec(Call& c) {
  ClientState& cl = c.client;
  if (!cl.in_multi) {
    c.Error(err::kExecNoMulti);
    return;
  }
  if (cl.multi_dirty) {
    ResetMulti(c.engine, cl);
    c.Error(err::kExecAbort);
    return;
  }
  if (cl.watch_dirty) {
    ResetMulti(c.engine, cl);
    c.w.NullArray();
    return;
  }
  std::vector<std::vector<std::string>> queued;
  queued.swap(cl.queued);
  cl.in_multi = false;
  c.engine.Unwatch(cl);
  c.w.ArrayHeader(static_cast<int64_t>(queued.size()));
  c.engine.in_exec = true;
  for (auto& argv : queued) c.engine.RunQueued(cl, argv);
  c.engine.in_exec = false;
}

void Discard(Call& c) {
  if (!c.client.in_multi) {
    c.Error(err::kDiscardNoMulti);
    return;
  }
  ResetMulti(c.engine, c.client);
  c.Ok();
}

void Watch(Call& c) {
  if (c.client.in_multi) {
    c.Error(err::kWatchInMulti);
    return;
  }
  for (size_t i = 1; i < c.argc(); ++i) c.engine.Watch(c.client, c.client.db, c.arg(i));
  c.Ok();
}

void Unwatch(Call& c) {
  c.engine.Unwatch(c.client);
  c.Ok();
}

}  // namespace

void RegisterMultiCommands(CommandTable& t) {
  t.Register("multi", Multi);
  t.Register("exec", Exec);
  t.Register("discard", Discard);
  t.Register("watch", Watch);
  t.Register("unwatch", Unwatch);
}

}  // namespace tessera::commands
