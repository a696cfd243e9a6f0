using System;
using System.IO;

namespace HuggingFace.Inference.Testing.Shared;

/// <summary>Where the repository and the reference data beside it are, found from the test binary.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding Generated.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static string Specs => Path.Combine(Root, "specs");

    /// <summary>../shared/reference beside the repository, which a fresh clone does not have.</summary>
    public static string Reference => Path.GetFullPath(Path.Combine(Root, "..", "shared", "reference"));

    public static string RecordedTraffic => Path.Combine(Reference, "recorded.jsonl");

    /// <summary>Skips the calling test, with the reason, when the recorded traffic is not beside the repository.</summary>
    public static string RequireRecordedTraffic()
    {
        if (!File.Exists(RecordedTraffic))
        {
            Xunit.Assert.Skip($"needs ../shared/reference/recorded.jsonl beside the repository ({RecordedTraffic} is absent)");
        }

        return RecordedTraffic;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generated.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Generated.sln not found above " + AppContext.BaseDirectory);
    }
}
