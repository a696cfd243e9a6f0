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

if (args is ["--stream-loop", var path, var streams])
{
    // One chat stream path run many times, for an instruction counter (see --parse-loop).
    var chat = new HuggingFace.Inference.Benchmarks.ChatStreamBenchmarks { Events = 1000 };
    chat.Setup();
    var characters = 0;
    for (var i = 0; i < int.Parse(streams, System.Globalization.CultureInfo.InvariantCulture); i++)
    {
        characters += path switch
        {
            "ours" => chat.Ours(),
            "typed" => chat.Typed(reuse: true),
            "typed-no-reuse" => chat.Typed(reuse: false),
            "walk" => chat.Walk(),
            _ => chat.Raw(),
        };
    }

    System.Console.WriteLine(characters);
    return;
}

if (args is ["--parse-loop", var parser, var times])
{
    // One float parser run many times, for an instruction counter (valgrind --tool=callgrind) to
    // compare parsers where timings are noise: see docs/benchmarks.md.
    var parse = new HuggingFace.Inference.Benchmarks.FloatParseBenchmarks();
    parse.Setup();
    System.Func<int> run = parser switch
    {
        "single" => parse.GetSingle,
        "double" => parse.GetDoubleRounded,
        "csfastfloat" => parse.CsFastFloatParse,
        "ours" => parse.OursParse,
        _ => parse.TokensOnly,
    };
    var total = 0;
    for (var i = 0; i < int.Parse(times, System.Globalization.CultureInfo.InvariantCulture); i++)
    {
        total += run();
    }

    System.Console.WriteLine(total);
    return;
}

// In-process: BenchmarkDotNet 0.14.0 predates .NET 10 and cannot generate a net10.0 project for
// its out-of-process runs, so each benchmark runs in this process (one warmed-up JIT, same GC).
var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default);

BenchmarkSwitcher.FromAssembly(typeof(HuggingFace.Inference.Benchmarks.Payloads).Assembly).Run(args, config);
