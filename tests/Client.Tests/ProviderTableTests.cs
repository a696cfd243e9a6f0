using System;
using System.IO;
using System.Linq;
using System.Text;
using HuggingFace.Inference.Providers;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// docs/providers.md's provider × task table is the registry's: rendered here from the generated
/// <c>ProviderRegistry</c> and compared with the page, so the page cannot drift from specs/providers.
/// Set HF_UPDATE_DOCS=1 to rewrite the table.
/// </summary>
public class ProviderTableTests
{
    private const string Start = "<!-- provider-table:start -->";
    private const string End = "<!-- provider-table:end -->";

    internal static string Render()
    {
        var tasks = ProviderRegistry.All.SelectMany(p => p.Tasks.Select(t => t.Task)).Distinct().OrderBy(t => t, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.Append("| task | ").Append(string.Join(" | ", ProviderRegistry.All.Select(p => p.Name))).Append(" |\n");
        text.Append("|---|").Append(string.Concat(ProviderRegistry.All.Select(_ => "---|"))).Append('\n');
        foreach (var task in tasks)
        {
            text.Append("| ").Append(task).Append(" | ");
            text.Append(string.Join(" | ", ProviderRegistry.All.Select(p => p.Find(task) is { } entry ? (entry.Job == ProviderJobForm.None ? "✓" : "✓ job") : string.Empty)));
            text.Append(" |\n");
        }

        return text.ToString();
    }

    [Fact]
    public void TheDocsTableIsTheRegistrys()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "providers.md");
        var page = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = page.IndexOf(Start, StringComparison.Ordinal);
        var end = page.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/providers.md lacks the provider-table markers");
        var current = page[(start + Start.Length)..end].Trim('\n') + "\n";
        var expected = Render();
        if (current != expected && Environment.GetEnvironmentVariable("HF_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, page[..(start + Start.Length)] + "\n" + expected + page[end..]);
            return;
        }

        Assert.Equal(expected, current);
    }
}
