using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>
/// Snapshot checks without Verify (which does not restore here), with Verify's file naming
/// (<c>{Class}.{Method}#{HintName}.verified.cs</c> beside the test) so that moving to
/// Verify.SourceGenerators later is a rename. Every difference writes a <c>.received.cs</c> (so one run shows the whole change) and the test fails;
/// <c>ACCEPT_SNAPSHOTS=1</c> accepts the received output instead.
/// </summary>
internal static class Snapshot
{
    /// <summary>Compares one output with its snapshot; returns the problem, or null when it matches (or was accepted).</summary>
    public static string? Compare(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        Directory.CreateDirectory(folder);
        var verified = Path.Combine(folder, name + ".verified.cs");
        var received = Path.Combine(folder, name + ".received.cs");
        var normalized = actual.Replace("\r\n", "\n");

        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == normalized)
        {
            File.Delete(received);
            return null;
        }

        if (Environment.GetEnvironmentVariable("ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, normalized);
            File.Delete(received);
            return null;
        }

        File.WriteAllText(received, normalized);
        return File.Exists(verified)
            ? $"{name}: the generated code differs from the snapshot. Compare {received} with {verified}; run with ACCEPT_SNAPSHOTS=1 to accept."
            : $"{name}: no snapshot yet. Review {received}; run with ACCEPT_SNAPSHOTS=1 to accept it.";
    }
}
