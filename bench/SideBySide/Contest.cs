namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>One client doing one workload; <see cref="Run"/> measures itself and returns the sample.</summary>
internal sealed record Contender(string Name, Func<Task<Sample>> Run)
{
    public static Contender InProcess(string name, Func<Task<RunResult>> run) => new(name, () => Measurement.MeasureAsync(run));
}

/// <summary>
/// Runs contenders interleaved: <c>warmUps</c> unmeasured rounds (enough for the JIT's tiering to
/// settle: with one, the first measured rounds still ran partly unoptimised code), then <c>rounds</c> rounds in which every contender
/// runs once, the order rotating so none always goes first (or always follows the garbage of
/// another). Every run's <see cref="RunResult.Check"/> must equal the first contender's, so a client
/// that reads less (or nothing) cannot look fast.
/// </summary>
internal static class Contest
{
    public static async Task<IReadOnlyDictionary<string, List<Sample>>> RunAsync(string workload, IReadOnlyList<Contender> contenders, int warmUps, int rounds)
    {
        var samples = contenders.ToDictionary(c => c.Name, _ => new List<Sample>());
        string? expected = null;
        for (var round = -warmUps; round < rounds; round++)
        {
            for (var i = 0; i < contenders.Count; i++)
            {
                var contender = contenders[(i + Math.Max(round, 0)) % contenders.Count];
                var sample = await contender.Run();
                expected ??= sample.Result.Check;
                if (sample.Result.Check != expected)
                {
                    throw new InvalidOperationException($"{workload}: {contender.Name} read '{sample.Result.Check}', the others '{expected}'; the comparison would mean nothing.");
                }

                if (round >= 0)
                {
                    samples[contender.Name].Add(sample);
                }
            }

            Console.Error.Write(round < 0 ? (round == -1 ? $"  {workload}: warmed up ({warmUps})" : string.Empty) : $", round {round + 1}/{rounds}");
        }

        Console.Error.WriteLine();
        return samples;
    }
}
