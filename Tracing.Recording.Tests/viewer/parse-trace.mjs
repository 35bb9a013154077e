// Loads a Chrome Trace Event JSON file with DevTools' trace engine, the code behind the
// Performance panel, and prints what it parsed: the bounds, then one line per thread with its
// events in order. The engine reports no error for a bad file (it yields NaN bounds or drops
// events), so the tests assert on this output.
import fs from 'node:fs';
import * as Trace from '@paulirish/trace_engine';

const events = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const model = Trace.TraceModel.Model.createWithAllHandlers();
await model.parse(events);
const data = model.parsedTrace().data;
const bounds = data.Meta.traceBounds;
console.log(JSON.stringify({ min: bounds.min, max: bounds.max, range: bounds.range }));
for (const [pid, process] of data.Renderer.processes) {
  for (const [tid, thread] of process.threads) {
    const entries = thread.entries.map(e => ({ name: e.name, ph: e.ph, ts: e.ts, dur: e.dur ?? null, args: e.args ?? {} }));
    console.log(JSON.stringify({ pid, tid, name: thread.name ?? null, processName: data.Meta.processNames.get(pid)?.args?.name ?? null, events: entries }));
  }
}
