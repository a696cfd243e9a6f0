using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Every <c>```csharp</c> block of the README and of docs/ compiled against the library, so an
/// example cannot rot: a renamed member or a changed signature fails here. Each block becomes the
/// body of an async method; <c>using</c> directives at its top become the file's. A few names are
/// in scope for blocks that show a part of an application: <c>services</c> (an
/// <c>IServiceCollection</c>), <c>configuration</c> (an <c>IConfiguration</c>) and <c>responseJson</c>.
/// </summary>
public partial class DocsExamplesTests(ITestOutputHelper output)
{
    private static readonly string[] DefaultUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks",
        "HuggingFace.Inference", "HuggingFace.Inference.DependencyInjection", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Configuration",
    ];

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        var root = RepoPaths.Root;
        data.Add("README.md");
        foreach (var page in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, page).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryExampleOnThePageCompiles(string page)
    {
        var blocks = Blocks(File.ReadAllText(Path.Combine(RepoPaths.Root, page))).ToList();
        output.WriteLine($"{page}: {blocks.Count} examples");
        var failures = new List<string>();
        foreach (var (line, code) in blocks)
        {
            var errors = Compile(code);
            if (errors.Count > 0)
            {
                failures.Add($"{page}:{line}:\n  " + string.Join("\n  ", errors));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void TheTaskPagesHaveExamplesAndABrokenOneFails()
    {
        var root = RepoPaths.Root;
        foreach (var page in new[] { "text", "chat", "vision", "audio", "tabular" })
        {
            Assert.True(Blocks(File.ReadAllText(Path.Combine(root, "docs", "tasks", page + ".md"))).Count() >= 2, $"docs/tasks/{page}.md has fewer than two examples");
        }

        Assert.NotEmpty(Compile("using var client = new InferenceClient();\nawait client.TextClassifyAsync(\"renamed\");"));
        Assert.Empty(Compile("using var client = new InferenceClient();\nawait client.TextClassificationAsync(\"fine\");"));
    }

    /// <summary>The csharp blocks of a Markdown page, with the line each starts on.</summary>
    internal static IEnumerable<(int Line, string Code)> Blocks(string markdown)
    {
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```csharp")
            {
                continue;
            }

            var start = i + 1;
            var code = new StringBuilder();
            for (i++; i < lines.Length && lines[i].TrimEnd() != "```"; i++)
            {
                code.Append(lines[i].TrimEnd('\r')).Append('\n');
            }

            yield return (start + 1, code.ToString());
        }
    }

    private static List<string> Compile(string block)
    {
        var usings = new List<string>(DefaultUsings.Select(u => $"using {u};"));
        var body = new StringBuilder();
        foreach (var line in block.Split('\n'))
        {
            if (body.Length == 0 && UsingDirective().IsMatch(line))
            {
                usings.Add(line.Trim());
            }
            else
            {
                body.Append(line).Append('\n');
            }
        }

        var source = string.Join("\n", usings.Distinct()) + """

            #nullable enable
            public static class Example
            {
                public static async Task RunAsync(IServiceCollection services, IConfiguration configuration, string responseJson)
                {
            """ + "\n#line 1\n" + body + """
                }
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp13));
        var compilation = CSharpCompilation.Create(
            "DocsExample",
            [tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id} {d.GetMessage()}")
            .ToList();
    }

    // A using directive (not a using declaration such as "using var x = ...").
    [GeneratedRegex(@"^using (static )?[A-Za-z_][\w.]*( = [\w.<>]+)?;\s*$")]
    private static partial Regex UsingDirective();

    // The framework and every assembly beside the tests: the library and the packages it uses.
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(path => !Path.GetFileName(path).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(group => (MetadataReference)MetadataReference.CreateFromFile(group.First()))
            .ToArray());
}
