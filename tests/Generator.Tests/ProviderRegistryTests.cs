using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using HuggingFace.Inference.Generator.Model;
using HuggingFace.Inference.Testing.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>
/// The provider registry (specs/providers/*.json → ProviderRegistry.g.cs): its diagnostics point at the file and line
/// and never stop the rest from generating, its code matches the runtime records, the repository's files are clean.
/// </summary>
public class ProviderRegistryTests
{
    private const string HintName = "ProviderRegistry.g.cs";

    /// <summary>The tasks the inline registries may use: each has a (tiny) task schema.</summary>
    private static readonly string[] KnownTasks = { "chat-completion", "text-to-image", "text-to-video" };

    /// <summary>A provider file whose line 5 is a good entry and line 6 is <paramref name="entry"/>.</summary>
    private static string Acme(string entry) => """
        {
          "provider": "acme",
          "baseUrl": "https://api.acme.test",
          "auth": "bearer",
          "tasks": [
            { "task": "text-to-image", "route": "/v1/images/{providerId}", "request": "openai-image", "answer": "openai-image", "peers": "both" },
        """ + "\n    " + entry + "\n" + """
          ]
        }
        """;

    private const string Chat = "\"task\": \"chat-completion\", \"request\": \"openai-chat\", \"answer\": \"openai-chat\"";

    [Theory]
    [InlineData("{ " + Chat + ", \"route\": \"v1/chat/completions\" }", "must start with '/'")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/{model/chat\" }", "'{' without its '}'")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/{model}}/chat\" }", "'}' without its '{'")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/{id}/chat\" }", "placeholder {id}")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/chat\", \"job\": \"together-video\", \"pollRoute\": \"/v2/videos/{job}\" }", "placeholder {job}")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/chat\", \"pollRoute\": \"v2/videos/{id}\" }", "must start with '/'")]
    public void BadRouteIsHfgen008AtTheRouteAndTheEntryIsSkipped(string entry, string expected)
    {
        var result = Run(("acme.json", Acme(entry)));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN008", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, "/repo/specs/providers/acme.json", 6, entry, entry.Contains("pollRoute") ? "\"pollRoute\"" : "\"route\"");
        Assert.Contains(expected, diagnostic.GetMessage());
        Assert.Contains("acme.json", diagnostic.GetMessage());
        AssertServes(result, "text-to-image");
        AssertDoesNotServe(result, "chat-completion");
    }

    [Theory]
    [InlineData("text-to-3d")]
    [InlineData("common")]
    [InlineData("openapi")]
    public void TaskThatNoTaskSpecDefinesIsHfgen009AtTheTask(string task)
    {
        var entry = "{ \"task\": \"" + task + "\", \"route\": \"/v1/x\", \"request\": \"hf-inference\", \"answer\": \"hf-inference\" }";
        var result = Run(("acme.json", Acme(entry)));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN009", diagnostic.Id);
        AssertAt(diagnostic, "/repo/specs/providers/acme.json", 6, entry, "\"task\"");
        Assert.Contains("'acme'", diagnostic.GetMessage());
        Assert.Contains("'" + task + "'", diagnostic.GetMessage());
        AssertServes(result, "text-to-image");
        AssertDoesNotServe(result, task);
    }

    [Theory]
    [InlineData("{ \"task\": \"chat-completion\", \"route\": \"/v1/chat\", \"request\": \"openai-chatt\", \"answer\": \"openai-chat\" }", "\"request\"", "\"request\" must be one of")]
    [InlineData("{ \"task\": \"chat-completion\", \"route\": \"/v1/chat\", \"request\": \"openai-chat\", \"answer\": \"json\" }", "\"answer\"", "\"answer\" must be one of")]
    [InlineData("{ \"task\": \"chat-completion\", \"route\": \"/v1/chat\", \"request\": \"openai-chat\" }", "{", "\"answer\" must be one of")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/chat\", \"job\": \"poll\" }", "\"job\"", "\"job\" must be one of")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/chat\", \"responseFormat\": \"json-schema\" }", "\"responseFormat\"", "\"responseFormat\" must be one of")]
    [InlineData("{ \"task\": \"text-to-video\", \"route\": \"/v1/video\", \"request\": \"fal\", \"answer\": \"fal\", \"responseFormat\": \"json-schema-flat\" }", "\"responseFormat\"", "chat-completion only")]
    [InlineData("{ \"task\": \"text-to-image\", \"route\": \"/v1/again\", \"request\": \"fal\", \"answer\": \"fal\" }", "\"task\"", "listed twice (first at line 6)")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/chat\", \"pollroute\": \"/v1/{id}\" }", "\"pollroute\"", "unknown member \"pollroute\"")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/chat\", \"body\": [1] }", "\"body\"", "\"body\" must be an object")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/chat\", \"rename\": { \"max_new_tokens\": 3 } }", "\"max_new_tokens\"", "\"rename\" must map")]
    [InlineData("{ " + Chat + ", \"route\": \"/v1/chat\", \"peers\": \"rust\" }", "\"peers\"", "\"peers\" must be one of")]
    [InlineData("{ \"route\": \"/v1/chat\", \"request\": \"openai-chat\", \"answer\": \"openai-chat\" }", "{", "needs \"task\"")]
    public void BadTaskEntryIsHfgen010AtItsTokenAndTheRestStillGenerates(string entry, string token, string expected)
    {
        var result = Run(("acme.json", Acme(entry)));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN010", diagnostic.Id);
        AssertAt(diagnostic, "/repo/specs/providers/acme.json", 6, entry, token);
        Assert.Contains(expected, diagnostic.GetMessage());
        Assert.Contains("the task entry is skipped", diagnostic.GetMessage());
        AssertServes(result, "text-to-image");
        Assert.Single(Registry(result).Split("new global::Test.Generated.Providers.ProviderTaskSpec(").Skip(1));
    }

    [Theory]
    [InlineData("\"provider\": \"acme\",", "", 0, "needs \"provider\"")]
    [InlineData("\"provider\": \"acme\",", "\"provider\": \"Acme\",", 1, "lower-case letters")]
    [InlineData("\"provider\": \"acme\",", "\"provider\": \"auto\",", 1, "is reserved")]
    [InlineData("\"baseUrl\": \"https://api.acme.test\",", "\"baseUrl\": \"ftp://api.acme.test\",", 2, "absolute http(s) URL, not \"ftp://api.acme.test\"")]
    [InlineData("\"baseUrl\": \"https://api.acme.test\",", "\"baseUrl\": \"/relative\",", 2, "absolute http(s) URL")]
    [InlineData("\"baseUrl\": \"https://api.acme.test\",", "", 0, "\"baseUrl\" must be an absolute http(s) URL")]
    [InlineData("\"auth\": \"bearer\",", "\"auth\": \"basic\",", 3, "\"auth\" must be one of \"bearer\", \"key\", not \"basic\"")]
    public void UnusableProviderIsHfgen010AndItsFileGeneratesNothing(string original, string replacement, int line, string expected)
    {
        var result = Run(("acme.json", Acme("{ " + Chat + ", \"route\": \"/v1/chat\" }").Replace(original, replacement)), ("good.json", Good));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN010", diagnostic.Id);
        Assert.Equal("/repo/specs/providers/acme.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains(expected, diagnostic.GetMessage());
        Assert.Contains("this file is skipped", diagnostic.GetMessage());
        Assert.DoesNotContain("acme", Registry(result).Replace("api.acme.test", string.Empty), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("public static readonly global::Test.Generated.Providers.ProviderSpec Good =", Registry(result));
    }

    [Fact]
    public void ProviderDefinedByTwoFilesIsHfgen010AtTheSecondAndTheFirstIsKept()
    {
        var second = Acme("{ " + Chat + ", \"route\": \"/v1/chat\" }");
        var result = Run(("b-acme.json", second), ("a-acme.json", Acme("{ " + Chat + ", \"route\": \"/v1/chat\" }")));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN010", diagnostic.Id);
        Assert.Equal("/repo/specs/providers/b-acme.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(1, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("also defined by 'specs/providers/a-acme.json'", diagnostic.GetMessage());
        var registry = Registry(result);
        Assert.Contains("/// <summary>acme (specs/providers/a-acme.json).</summary>", registry);
        Assert.DoesNotContain("b-acme.json", registry);
    }

    [Fact]
    public void ProvidersWithTheSameCSharpNameAreHfgen010()
    {
        var result = Run(
            ("fal-ai.json", Acme("{ " + Chat + ", \"route\": \"/v1/chat\" }").Replace("\"acme\"", "\"fal-ai\"")),
            ("fal.ai.json", Acme("{ " + Chat + ", \"route\": \"/v1/chat\" }").Replace("\"acme\"", "\"fal.ai\"")));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN010", diagnostic.Id);
        Assert.Equal("/repo/specs/providers/fal.ai.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(1, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("same C# name, FalAi", diagnostic.GetMessage());
    }

    [Fact]
    public void FileLevelProblemsAreReportedAndTheProviderStillGenerates()
    {
        var text = Acme("{ " + Chat + ", \"route\": \"/v1/chat\" }")
            .Replace("\"auth\": \"bearer\",", "\"auth\": \"bearer\", \"headers\": { \"x-ok\": \"1\", \"x-bad\": 2 }, \"directOnly\": \"yes\", \"queueBaseUrl\": \"queue\", \"baseURL\": \"https://x.test\",");
        var result = Run(("acme.json", text));

        Assert.All(result.Diagnostics, d => Assert.Equal("HFGEN010", d.Id));
        Assert.All(result.Diagnostics, d => Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line));
        var messages = result.Diagnostics.Select(d => d.GetMessage()).OrderBy(m => m, StringComparer.Ordinal).ToList();
        Assert.Equal(4, messages.Count);
        Assert.Contains(messages, m => m.Contains("the header \"x-bad\""));
        Assert.Contains(messages, m => m.Contains("\"directOnly\" must be true or false"));
        Assert.Contains(messages, m => m.Contains("\"queueBaseUrl\" must be an absolute http(s) URL"));
        Assert.Contains(messages, m => m.Contains("unknown member \"baseURL\""));
        var registry = Registry(result);
        Assert.Contains("new global::System.Collections.Generic.KeyValuePair<string, string>(\"x-ok\", \"1\")", registry);
        Assert.DoesNotContain("x-bad", registry);
        AssertServes(result, "chat-completion");
    }

    [Fact]
    public void InvalidJsonIsHfgen001AtTheErrorAndOtherProvidersStillGenerate()
    {
        var result = Run(("broken.json", "{\n  \"provider\": \"broken\",\n  \"baseUrl\": \"https://broken.test\",,\n}"), ("good.json", Good));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN001", diagnostic.Id);
        Assert.Equal("/repo/specs/providers/broken.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(2, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("ProviderSpec Good =", Registry(result));
    }

    [Fact]
    public void NoProviderFilesEmitsNoRegistry()
    {
        var result = GeneratorHarness.Run(TaskSpecs());
        Assert.Null(result.Exception);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == HintName);
    }

    /// <summary>A small registry: file order is not name order; every optional member is used once.</summary>
    [Fact]
    public void RegistrySnapshot()
    {
        var result = Run(("zeta.json", Zeta), ("acme-ai.json", AcmeAi));
        Assert.Empty(result.Diagnostics);
        Assert.Null(Snapshot.Compare(Registry(result), "ProviderRegistryTests." + nameof(RegistrySnapshot) + "#ProviderRegistry"));
    }

    /// <summary>The generated registry compiles against the runtime records of src/Client and reads back as written.</summary>
    [Fact]
    public void RegistryCompilesAgainstTheRuntimeRecords()
    {
        var result = Run(("zeta.json", Zeta), ("acme-ai.json", AcmeAi));
        dynamic registry = Load(Registry(result), "Test.Generated.Providers.ProviderRegistry");
        Assert.Equal(2, (int)registry.Count);
        var acme = registry.Find("acme-ai");
        Assert.Equal("acme-ai", (string)acme.Name);
        Assert.Equal("https://queue.acme.test/", ((Uri)acme.QueueBaseUrl).ToString());
        var video = acme.Find("text-to-video");
        Assert.Equal("FalQueue", video.Job.ToString());
        Assert.Equal("{\"sync_mode\":true,\"image_size\":{\"width\":1024}}", (string)video.Body);
        Assert.Equal("num_inference_steps=steps", (string)video.Renames[0]);
        Assert.Null(registry.Find("Acme-AI"));
        Assert.True((bool)registry.Find("zeta").DirectOnly);
    }

    /// <summary>Every form name the generator accepts is a member of the runtime enum, and every member has a name.</summary>
    [Fact]
    public void FormNamesMatchTheRuntimeEnums()
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(RuntimeRecordsPath));
        var enums = tree.GetRoot().DescendantNodes().OfType<EnumDeclarationSyntax>()
            .ToDictionary(e => e.Identifier.Text, e => e.Members.Select(m => m.Identifier.Text).OrderBy(m => m, StringComparer.Ordinal).ToList());

        void Check(string enumName, IReadOnlyList<KeyValuePair<string, string>> forms)
        {
            Assert.True(enums.ContainsKey(enumName), enumName + " is not in ProviderSpec.cs");
            Assert.Equal(enums[enumName], forms.Select(f => f.Value).OrderBy(m => m, StringComparer.Ordinal).ToList());
            Assert.Equal(forms.Count, forms.Select(f => f.Key).Distinct(StringComparer.Ordinal).Count());
        }

        Check(ProviderForms.AuthEnum, ProviderForms.Auth);
        Check(ProviderForms.RequestEnum, ProviderForms.Request);
        Check(ProviderForms.AnswerEnum, ProviderForms.Answer);
        Check(ProviderForms.JobEnum, ProviderForms.Job);
        Check(ProviderForms.ResponseFormatEnum, ProviderForms.ResponseFormat);
        Assert.Equal("None", ProviderForms.Job[0].Value);
        Assert.Equal("Keep", ProviderForms.ResponseFormat[0].Value);
    }

    /// <summary>Whatever specs/providers holds generates cleanly against the repository's task specs.</summary>
    [Fact]
    public void RepositoryProviderFilesHaveNoDiagnostics()
    {
        var providers = GeneratorHarness.ProviderFiles();
        Assert.NotEmpty(providers);
        var result = GeneratorHarness.Run(GeneratorHarness.AllRepoSpecs());
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);

        var registry = result.GeneratedSources.Single(s => s.HintName == HintName).SourceText.ToString();
        foreach (var provider in providers)
        {
            Assert.Contains("/// <summary>" + Path.GetFileNameWithoutExtension(provider.Path) + " (specs/providers/" + Path.GetFileName(provider.Path) + ").</summary>", registry);
        }

        dynamic loaded = Load(registry, "Test.Generated.Providers.ProviderRegistry");
        Assert.Equal(providers.Count, (int)loaded.Count);
    }

    [Fact]
    public void HfInferenceServesEveryTaskOfBothPeers()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.AllRepoSpecs());
        dynamic hf = Load(result.GeneratedSources.Single(s => s.HintName == HintName).SourceText.ToString(), "Test.Generated.Providers.ProviderRegistry").Find("hf-inference");
        Assert.Equal("https://router.huggingface.co/hf-inference", ((Uri)hf.BaseUrl).OriginalString);
        Assert.Equal(28, (int)hf.TaskCount);
        Assert.Equal("/models/{model}/v1/chat/completions", (string)hf.Find("chat-completion").Route);
        Assert.Equal("JsonObjectValue", hf.Find("chat-completion").ResponseFormat.ToString());
        Assert.Equal("/models/{model}/pipeline/feature-extraction", (string)hf.Find("feature-extraction").Route);
        Assert.Equal("/models/{model}/pipeline/sentence-similarity", (string)hf.Find("sentence-similarity").Route);
        Assert.Equal("/models/{model}", (string)hf.Find("text-to-audio").Route);
        Assert.Equal("HfInference", hf.Find("tabular-regression").Request.ToString());
    }

    private const string Good = """
        {
          "provider": "good",
          "baseUrl": "https://good.test",
          "auth": "bearer",
          "tasks": [ { "task": "text-to-image", "route": "/{model}", "request": "hf-inference", "answer": "hf-inference" } ]
        }
        """;

    private const string Zeta = """
        {
          "$comment": "Direct calls only.",
          "provider": "zeta",
          "baseUrl": "https://api.zeta.test",
          "auth": "bearer",
          "directOnly": true,
          "tasks": [
            { "task": "chat-completion", "route": "/v1/chat/completions", "request": "openai-chat", "answer": "openai-chat", "peers": "both" }
          ]
        }
        """;

    private const string AcmeAi = """
        {
          "provider": "acme-ai",
          "baseUrl": "https://api.acme.test",
          "auth": "key",
          "headers": { "x-source-channel": "hugging_face", "x-quote": "say \"hi\"" },
          "queueBaseUrl": "https://queue.acme.test",
          "tasks": [
            {
              "task": "text-to-video",
              "route": "/{providerId}",
              "request": "fal",
              "answer": "fal",
              "job": "fal-queue",
              "pollRoute": "/{providerId}/requests/{id}/status",
              "body": { "sync_mode": true, "image_size": { "width": 1024 } },
              "rename": { "num_inference_steps": "steps" },
              "peers": "python"
            },
            { "task": "chat-completion", "route": "/v1/{model}/chat", "request": "openai-chat", "answer": "openai-chat", "responseFormat": "json-schema-flat", "peers": "js" }
          ]
        }
        """;

    private static string RuntimeRecordsPath => Path.Combine(RepoPaths.Root, "src", "Client", "Providers", "ProviderSpec.cs");

    private static List<GeneratorHarness.SpecText> TaskSpecs()
    {
        var specs = KnownTasks
            .Select(task => new GeneratorHarness.SpecText(
                "/repo/specs/tasks/" + task + "/input.json",
                "{ \"$id\": \"/inference/schemas/" + task + "/input.json\", \"title\": \"" + Naming.Pascal(task) + "Input\", \"type\": \"object\", \"properties\": { \"inputs\": { \"type\": \"string\" } } }",
                task))
            .ToList();
        specs.Add(new GeneratorHarness.SpecText("/repo/specs/tasks/common-definitions.json", "{ \"$id\": \"/inference/schemas/common-definitions.json\", \"title\": \"CommonDefinitions\", \"definitions\": {} }", "common"));
        specs.Add(new GeneratorHarness.SpecText("/repo/specs/api.json", "{ \"openapi\": \"3.0.0\", \"info\": { \"title\": \"x\", \"version\": \"1\" }, \"paths\": {}, \"components\": { \"schemas\": { \"Thing\": { \"type\": \"object\", \"properties\": { \"a\": { \"type\": \"string\" } } } } } }", string.Empty, openApiNamespace: "Test.Api"));
        return specs;
    }

    private static GeneratorRunResult Run(params (string Name, string Text)[] files)
    {
        var specs = TaskSpecs();
        specs.AddRange(files.Select(f => GeneratorHarness.Provider("/repo/specs/providers/" + f.Name, f.Text)));
        var result = GeneratorHarness.Run(specs);
        Assert.Null(result.Exception);
        return result;
    }

    private static string Registry(GeneratorRunResult result) =>
        result.GeneratedSources.Single(s => s.HintName == HintName).SourceText.ToString();

    private static void AssertServes(GeneratorRunResult result, string task) =>
        Assert.Contains("Task: \"" + task + "\",", Registry(result));

    private static void AssertDoesNotServe(GeneratorRunResult result, string task) =>
        Assert.DoesNotContain("Task: \"" + task + "\",", Registry(result));

    /// <summary>The diagnostic is in <paramref name="path"/> at <paramref name="line"/>, on <paramref name="token"/> of the entry.</summary>
    private static void AssertAt(Diagnostic diagnostic, string path, int line, string entry, string token)
    {
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.Equal(line, span.StartLinePosition.Line);
        var start = 4 + entry.IndexOf(token, StringComparison.Ordinal);
        Assert.InRange(span.StartLinePosition.Character, start, start + token.Length + 1);
    }

    /// <summary>Compiles <paramref name="registry"/> with the runtime records (in the test namespace) and returns the registry's type.</summary>
    private static dynamic Load(string registry, string typeName)
    {
        var records = File.ReadAllText(RuntimeRecordsPath).Replace("namespace HuggingFace.Inference.Providers;", "namespace Test.Generated.Providers;");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.Length > 0)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "ProviderRegistryCheck" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(records), CSharpSyntaxTree.ParseText(registry), CSharpSyntaxTree.ParseText(Accessor(typeName)) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        Assert.DoesNotContain(emitted.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.ToString() == registry);
        var assembly = Assembly.Load(stream.ToArray());
        return assembly.GetType("Test.Generated.Providers.RegistryAccessor")!.GetMethod("Create")!.Invoke(null, null)!;
    }

    /// <summary>A public wrapper over the internal registry, so that the test can use it through dynamic.</summary>
    private static string Accessor(string typeName) => $$"""
        namespace Test.Generated.Providers
        {
            public sealed class RegistryAccessor
            {
                public static object Create() => new RegistryAccessor();
                public int Count => {{typeName}}.All.Count;
                public object? Find(string name) => {{typeName}}.Find(name) is { } spec ? new SpecAccessor(spec) : null;
            }

            public sealed class SpecAccessor
            {
                private readonly ProviderSpec _spec;
                internal SpecAccessor(ProviderSpec spec) => _spec = spec;
                public string Name => _spec.Name;
                public System.Uri BaseUrl => _spec.BaseUrl;
                public System.Uri? QueueBaseUrl => _spec.QueueBaseUrl;
                public bool DirectOnly => _spec.DirectOnly;
                public int TaskCount => _spec.Tasks.Count;
                public object? Find(string task) => _spec.Find(task) is { } t ? new TaskAccessor(t) : null;
            }

            public sealed class TaskAccessor
            {
                private readonly ProviderTaskSpec _task;
                internal TaskAccessor(ProviderTaskSpec task) => _task = task;
                public string Route => _task.Route;
                public string? Body => _task.Body;
                public System.Collections.Generic.IReadOnlyList<string> Renames => _task.Renames;
                public object Request => _task.Request;
                public object Job => _task.Job;
                public object ResponseFormat => _task.ResponseFormat;
            }
        }
        """;
}
