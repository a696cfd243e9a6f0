// The @huggingface/inference peer of the side-by-side harness (bench/SideBySide).
//
//   node peer.mjs serve  <baseUrl>          reads one JSON workload per line on stdin, answers one JSON line each
//   node peer.mjs upload <baseUrl> <file>   uploads the file once and reports its peak memory, then exits
//
// Each workload is timed here, inside Node, so process start-up and module loading are not counted;
// the harness keeps one process for the whole run so V8 is as warm as the .NET clients are.
import { InferenceClient } from "@huggingface/inference";
import { openAsBlob } from "node:fs";
import { createInterface } from "node:readline";

const [, , mode, baseUrl, file] = process.argv;
const client = new InferenceClient("hf_bench_token");
const endpoint = (name) => client.endpoint(new URL(name, baseUrl).toString());
const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function chat({ events }) {
  const chat = endpoint("chat");
  const cpu = process.cpuUsage();
  const start = performance.now();
  let first = -1;
  let characters = 0;
  let count = 0;
  for await (const chunk of chat.chatCompletionStream({
    model: "tgi",
    messages: [{ role: "user", content: "Count to a large number." }],
    max_tokens: events,
  })) {
    const content = chunk.choices?.[0]?.delta?.content;
    if (content) {
      if (first < 0) first = performance.now() - start;
      characters += content.length;
    }
    count++;
  }
  return { wallMs: performance.now() - start, cpuMs: cpuMs(cpu), firstMs: first, count, check: String(characters) };
}

async function embeddings({ rows }) {
  const embed = endpoint("embed");
  const inputs = Array.from({ length: rows }, (_, i) => `sentence ${i}`);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const vectors = await embed.featureExtraction({ inputs });
  const wallMs = performance.now() - start;
  return { wallMs, cpuMs: cpuMs(cpu), firstMs: -1, count: vectors.length, check: `${vectors.length}x${vectors[0].length}` };
}

async function calls({ calls, concurrency }) {
  const classify = endpoint("classify");
  const latencies = new Float64Array(calls);
  let next = 0;
  let label = "";
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < calls; i = next++) {
        const began = performance.now();
        const answer = await classify.textClassification({ inputs: "I like you. I love you" });
        latencies[i] = performance.now() - began;
        label = answer[0].label;
      }
    }),
  );
  const wallMs = performance.now() - start;
  return { wallMs, cpuMs: cpuMs(cpu), firstMs: -1, count: calls, check: label, latenciesMs: Array.from(latencies) };
}

async function upload() {
  const asr = endpoint("asr");
  // Warm the path first so the baseline below already holds everything a second upload reuses.
  await asr.automaticSpeechRecognition({ data: new Blob([new Uint8Array(1 << 20)], { type: "audio/flac" }) });
  global.gc?.();
  const before = process.memoryUsage().rss;
  const answer = await asr.automaticSpeechRecognition({ data: await openAsBlob(file, { type: "audio/flac" }) });
  const peak = process.resourceUsage().maxRSS * 1024;
  return { beforeBytes: before, peakBytes: peak, addedBytes: Math.max(0, peak - before), received: Number(answer.text) };
}

const workloads = { chat, embeddings, calls };

if (mode === "upload") {
  console.log(JSON.stringify(await upload()));
} else if (mode === "serve") {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    try {
      console.log(JSON.stringify(await workloads[request.workload](request)));
    } catch (error) {
      console.log(JSON.stringify({ error: String(error?.stack ?? error) }));
    }
  }
} else {
  console.error("usage: node peer.mjs serve <baseUrl> | upload <baseUrl> <file>");
  process.exit(2);
}
