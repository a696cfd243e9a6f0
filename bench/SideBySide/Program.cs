using System.Text.Json.Nodes;
using HuggingFace.Inference.Benchmarks.SideBySide;

// One command, one server, every client interleaved: see docs/benchmarks.md.
//   (no verb)                      the whole run; options in HarnessOptions.Parse
//   serve [--events N ...]         the bench server (a child of the run)
//   upload MODE FILE SERVER        one upload's peak memory (a child of the run)
switch (args.FirstOrDefault())
{
    case "serve":
        return await BenchServer.ServeAsync(HarnessOptions.Parse(args[1..]));
    case "upload":
        return await UploadWorkload.ChildAsync(args[1..]);
}

var options = HarnessOptions.Parse(args);
var report = new Report(options, "dotnet run -c Release --project bench/SideBySide" + (args.Length > 0 ? " -- " + string.Join(' ', args) : string.Empty));
await using (var server = await BenchServerProcess.StartAsync(options))
{
    Console.Error.WriteLine($"bench server at {server.BaseUrl}");
    NodePeer? node = null;
    var nodeReason = "--no-node";
    if (options.Node)
    {
        (node, nodeReason) = await NodePeer.StartAsync(server.BaseUrl);
    }

    if (node == null)
    {
        report.Skipped("The @huggingface/inference peer", nodeReason!);
    }

    try
    {
        using var workloads = new Workloads(server.BaseUrl, options, node);
        if (options.AllocationProfile)
        {
            Console.WriteLine(await AllocationProfile.RunAsync(workloads, 50_000));
            return 0;
        }

        if (options.Runs("chat"))
        {
            report.ChatStream(await Contest.RunAsync("chat stream", workloads.ChatStream(), options.WarmUps, options.Rounds));
        }

        if (options.Runs("embeddings"))
        {
            report.Embeddings(await Contest.RunAsync("embeddings", workloads.Embeddings(), options.WarmUps, options.Rounds));
        }

        if (options.Runs("calls"))
        {
            report.SmallCalls(await Contest.RunAsync("small calls", workloads.SmallCalls(), options.WarmUps, options.Rounds));
        }

        if (options.Runs("upload"))
        {
            var uploads = new List<(int, string, JsonObject)>();
            foreach (var megabytes in options.UploadMegabytes)
            {
                var file = UploadWorkload.CreateFile(megabytes);
                try
                {
                    foreach (var mode in UploadWorkload.DotNetModes)
                    {
                        uploads.Add((megabytes, UploadWorkload.Describe(mode), await UploadWorkload.MeasureAsync(mode, server.BaseUrl, file)));
                    }

                    if (node != null)
                    {
                        uploads.Add((megabytes, node.Name + ": automaticSpeechRecognition(openAsBlob(…))", await UploadWorkload.MeasureAsync("node", server.BaseUrl, file)));
                    }
                }
                finally
                {
                    File.Delete(file);
                }

                Console.Error.WriteLine($"  upload: {megabytes} MB done");
            }

            report.Uploads(uploads);
        }
    }
    finally
    {
        if (node != null)
        {
            await node.DisposeAsync();
        }
    }
}

if (options.Generator && options.Runs("generator"))
{
    Console.Error.WriteLine("  generator: cold build with -p:ReportAnalyzer=true, then the caching tests …");
    report.Generator(await GeneratorWorkload.RunAsync());
}

var markdown = report.Render();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
await File.WriteAllTextAsync(options.Output, markdown);
if (options.Docs != null)
{
    // The report replaces the generated section of the page; the hand-written text around it stays.
    var page = await File.ReadAllTextAsync(options.Docs);
    var begin = page.IndexOf(HarnessOptions.DocsBegin, StringComparison.Ordinal);
    var end = page.IndexOf(HarnessOptions.DocsEnd, StringComparison.Ordinal);
    if (begin < 0 || end < begin)
    {
        throw new InvalidOperationException($"{options.Docs} has no generated section: add the lines '{HarnessOptions.DocsBegin}' and '{HarnessOptions.DocsEnd}'.");
    }

    var section = markdown.Replace("\n## ", "\n### ", StringComparison.Ordinal).Replace("# Side-by-side run", "## Side-by-side run", StringComparison.Ordinal);
    await File.WriteAllTextAsync(options.Docs, page[..(begin + HarnessOptions.DocsBegin.Length)] + "\n\n" + section.Trim() + "\n\n" + page[end..]);
    Console.Error.WriteLine("generated section of " + Path.GetFullPath(options.Docs) + " replaced");
}

Console.WriteLine(markdown);
Console.Error.WriteLine("written to " + Path.GetFullPath(options.Output));
return 0;
