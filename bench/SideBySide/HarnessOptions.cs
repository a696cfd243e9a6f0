using System.Globalization;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>Workload sizes and switches; the defaults are issue 7's, <c>--quick</c> is a smoke run.</summary>
internal sealed record HarnessOptions
{
    public int Events { get; init; } = 20_000;
    public int Rows { get; init; } = 256;
    public int Dimensions { get; init; } = 1024;
    public int Calls { get; init; } = 10_000;
    public int Concurrency { get; init; } = 32;
    public int[] UploadMegabytes { get; init; } = [20, 200];
    public int Rounds { get; init; } = 10;
    public int WarmUps { get; init; } = 5;
    public bool Node { get; init; } = true;
    public bool Generator { get; init; } = true;
    public string[] Only { get; init; } = [];
    public string Output { get; init; } = Path.Combine("artifacts", "side-by-side.md");

    public bool Runs(string workload) => Only.Length == 0 || Only.Contains(workload, StringComparer.OrdinalIgnoreCase);

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.", nameof(args));
            int Number() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--quick" => options with { Events = 2_000, Rows = 32, Calls = 1_000, UploadMegabytes = [2, 20], Rounds = 3, WarmUps = 1, Generator = false },
                "--events" => options with { Events = Number() },
                "--rows" => options with { Rows = Number() },
                "--dimensions" => options with { Dimensions = Number() },
                "--calls" => options with { Calls = Number() },
                "--concurrency" => options with { Concurrency = Number() },
                "--upload-mb" => options with { UploadMegabytes = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--rounds" => options with { Rounds = Number() },
                "--warmups" => options with { WarmUps = Number() },
                "--no-node" => options with { Node = false },
                "--no-generator" => options with { Generator = false },
                "--only" => options with { Only = Next().Split(',') },
                "--out" => options with { Output = Next() },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --quick, --events N, --rows N, --dimensions N, --calls N, --concurrency N, --upload-mb A,B, --rounds N, --warmups N, --no-node, --no-generator, --only chat,embeddings,calls,upload,generator, --out FILE.", nameof(args)),
            };
        }

        return options;
    }

    /// <summary>What the server child needs to build the same payloads.</summary>
    public IEnumerable<string> ToArguments() =>
        ["--events", Events.ToString(CultureInfo.InvariantCulture), "--rows", Rows.ToString(CultureInfo.InvariantCulture), "--dimensions", Dimensions.ToString(CultureInfo.InvariantCulture)];
}
