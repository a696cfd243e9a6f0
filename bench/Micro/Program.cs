using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args is ["--allocations", ..])
{
    HuggingFace.Inference.Benchmarks.AllocationCounts.Run(System.Console.Out);
    return;
}

// In-process: BenchmarkDotNet 0.14.0 predates .NET 10 and cannot generate a net10.0 project for
// its out-of-process runs, so each benchmark runs in this process (one warmed-up JIT, same GC).
var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default);

BenchmarkSwitcher.FromAssembly(typeof(HuggingFace.Inference.Benchmarks.Payloads).Assembly).Run(args, config);
