using System;
using System.Diagnostics;
using System.Globalization;
using HuggingFace.Inference;

// One call against a hostile local server, then the process's peak working set (VmHWM on Linux).
// Usage: MemoryProbe <answer|download> <url> <maxResponseBytes>
//   answer:   a text-to-image call to the endpoint URL (the server's answer is the hostile body)
//   download: an image-classification call whose input is the URL (the download is the hostile body)
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: MemoryProbe <answer|download> <url> <maxResponseBytes>");
    return 2;
}

var url = new Uri(args[1]);
var cap = long.Parse(args[2], CultureInfo.InvariantCulture);
string outcome;
try
{
    if (args[0] == "answer")
    {
        using var client = new InferenceClient(new InferenceClientOptions { Model = url.ToString(), SendToken = false, MaxResponseBytes = cap, MaxRetries = 0 });
        var image = await client.TextToImageAsync("a cat");
        outcome = $"ok {image.Bytes.Length} bytes";
    }
    else
    {
        using var client = new InferenceClient(new InferenceClientOptions { Model = "http://127.0.0.1:9/unused", SendToken = false, MaxResponseBytes = cap, MaxRetries = 0 });
        await client.ImageClassificationAsync(InferenceInput.FromUrl(url));
        outcome = "ok";
    }
}
catch (Exception exception)
{
    outcome = exception.GetType().Name + ": " + exception.Message.ReplaceLineEndings(" ");
}

using var self = Process.GetCurrentProcess();
self.Refresh();
Console.WriteLine($"peak_working_set={self.PeakWorkingSet64}");
Console.WriteLine($"outcome={outcome}");
return 0;
