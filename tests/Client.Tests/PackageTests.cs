using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The packages as users get them: packed into a local feed, referenced by version from a fresh
/// console project outside the solution that also brings its own schema, built and run against the
/// local server. Runs alone (it builds); about a minute.
/// </summary>
[Collection(nameof(LoadCollection))]
public class PackageTests(ITestOutputHelper output)
{
    private const string Input = """
        {
          "$id": "/my-handler/input.json",
          "title": "MyHandlerInput",
          "description": "The input of my custom handler.",
          "type": "object",
          "properties": { "inputs": { "type": "string" }, "parameters": { "type": "object", "properties": { "threshold": { "type": "number" } } } },
          "required": ["inputs"]
        }
        """;

    private const string Output = """
        { "$id": "/my-handler/output.json", "title": "MyHandlerOutput", "type": "array",
          "items": { "type": "object", "properties": { "label": { "type": "string" }, "score": { "type": "number" } }, "required": ["label"] } }
        """;

    private const string Program = """
        using HuggingFace.Inference;
        using HuggingFace.Inference.Chat;
        using HuggingFace.Inference.Testing;
        using Consumer;

        await using var server = await InferenceTestServer.StartAsync();
        using var client = new InferenceClient(new InferenceClientOptions { RouterUrl = server.BaseUrl, SendToken = false });
        var chat = await client.ChatCompletionAsync([new ChatCompletionInputMessage { Role = "user", Content = "What is the capital of France?" }]);
        Console.WriteLine("chat: " + chat.Choices[0].Message.Content);
        MyHandlerOutput mine = await client.MyHandlerAsync(new MyHandlerInput { Inputs = "I like it" }, server.EndpointUrl("text-classification").ToString());
        Console.WriteLine("my-handler: " + mine[0].Label);
        """;

    [Fact(Timeout = 900_000)]
    public async Task AFreshProjectBuildsAndRunsOnThePackages()
    {
        var work = Path.Combine(Path.GetTempPath(), "hf-packages-" + Guid.NewGuid().ToString("N")[..8]);
        var feed = Path.Combine(work, "feed");
        var consumer = Path.Combine(work, "consumer");
        var version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        try
        {
            foreach (var project in new[] { "src/Client", "src/Generator", "src/Testing" })
            {
                await RunAsync("dotnet", $"pack \"{Path.Combine(RepoPaths.Root, project)}\" -o \"{feed}\" -p:Version={version} -nodeReuse:false", RepoPaths.Root);
            }

            // Every package says its licence in its metadata (the repository's LICENSE is MIT).
            foreach (var package in Directory.GetFiles(feed, "*.nupkg"))
            {
                using var zip = System.IO.Compression.ZipFile.OpenRead(package);
                var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
                using var reader = new StreamReader(nuspec.Open());
                Assert.Contains("<license type=\"expression\">MIT</license>", await reader.ReadToEndAsync());
            }

            Directory.CreateDirectory(Path.Combine(consumer, "specs", "my-handler"));
            await File.WriteAllTextAsync(Path.Combine(consumer, "specs", "my-handler", "input.json"), Input);
            await File.WriteAllTextAsync(Path.Combine(consumer, "specs", "my-handler", "output.json"), Output);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), Program);
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <RootNamespace>Consumer</RootNamespace>
                    <RestorePackagesPath>{Path.Combine(work, "packages")}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="HuggingFace.Inference" Version="{version}" />
                    <PackageReference Include="HuggingFace.Inference.Generator" Version="{version}" PrivateAssets="all" />
                    <PackageReference Include="HuggingFace.Inference.Testing" Version="{version}" />
                    <AdditionalFiles Include="specs/my-handler/input.json;specs/my-handler/output.json" HuggingFaceTask="my-handler" />
                  </ItemGroup>
                </Project>
                """);

            var run = await RunAsync("dotnet", "run -nodeReuse:false", consumer);

            Assert.Contains("chat: The capital of France is Paris.", run);
            Assert.Contains("my-handler: POSITIVE", run);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task<string> RunAsync(string command, string arguments, string directory)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var text = await stdout + await stderr;
        output.WriteLine($"$ {command} {arguments}\n{(text.Length > 3000 ? text[^3000..] : text)}");
        Assert.True(process.ExitCode == 0, $"{command} {arguments} failed ({process.ExitCode}):\n{text}");
        return text;
    }
}
