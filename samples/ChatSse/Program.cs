// Chat over server-sent events, in an ASP.NET Core minimal API.
//   dotnet run --project samples/ChatSse             offline: a local Hugging Face-compatible server answers
//   dotnet run --project samples/ChatSse -- --live   the real router (needs HF_TOKEN; HuggingFace:ChatModel picks the model)
// Then open the printed URL: the answer appears token by token.
using HuggingFace.Inference.Samples.ChatSse;
using HuggingFace.Inference.Testing;

var live = args.Contains("--live");
await using var local = live ? null : await InferenceTestServer.StartAsync();
var app = ChatSseApp.Build(args.Where(a => a != "--live").ToArray(), builder =>
{
    builder.Configuration["HuggingFace:ChatModel"] ??= "meta-llama/Llama-3.1-8B-Instruct";
    if (local != null)
    {
        builder.Configuration["HuggingFace:RouterUrl"] = local.BaseUrl.ToString();
        builder.Configuration["HuggingFace:HubUrl"] = local.BaseUrl.ToString();
        builder.Configuration["HuggingFace:Token"] = "hf_local_demo";
        local.StreamEventDelay = TimeSpan.FromMilliseconds(150); // slow enough to watch the tokens arrive
    }
});
await app.StartAsync();
Console.WriteLine($"Open {app.Urls.First()}/?q=What+is+the+capital+of+France%3F ({(live ? "the real router" : "offline, local server")}). Ctrl+C stops.");
await app.WaitForShutdownAsync();
