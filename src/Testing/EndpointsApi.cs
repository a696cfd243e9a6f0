using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Testing;

/// <summary>
/// A fake of the Inference Endpoints management API (<c>/v2/endpoint/{namespace}…</c>, <c>/v2/provider</c>)
/// and of the Hub's <c>/api/whoami-v2</c>, with a state machine that moves one step each time an
/// endpoint is read: create → pending → initializing → running; resume → initializing → running;
/// update → updating → running; pause → paused; scale-to-zero → scaledToZero; delete → 404.
/// A running endpoint is served at <c>/managed/{name}</c> (its task on this server), and its health
/// route answers 503 once and then 200. A repository named <see cref="FailingRepository"/> fails to
/// start, and updating to it fails.
/// </summary>
internal sealed class EndpointsApi(Func<Uri> baseUrl)
{
    public const string FailingRepository = "failing/model";
    public const string User = "test-user";

    /// <summary>The models of the fake Inference Catalog.</summary>
    public static readonly string[] CatalogModels = ["distilbert/distilbert-base-uncased-finetuned-sst-2-english", "meta-llama/Llama-3.1-8B-Instruct"];

    private readonly ConcurrentDictionary<string, Managed> _endpoints = new(StringComparer.Ordinal);

    public int PageSize { get; set; } = 2;

    private sealed class Managed
    {
        public required JsonObject Raw { get; set; }

        public string Namespace { get; init; } = string.Empty;

        public int HealthChecks { get; set; }

        public bool FailUpdate { get; set; }
    }

    public (int Status, string ContentType, byte[] Body)? Handle(RecordedRequest request, string[] segments)
    {
        if (segments is ["api", "whoami-v2"] && request.Method == "GET")
        {
            return request.Header("authorization") == null ? Error(401, "Invalid credentials") : Json(200, new JsonObject { ["name"] = User, ["type"] = "user" });
        }

        if (segments is ["managed", var managedName, "health"] && request.Method == "GET")
        {
            var managed = _endpoints.Values.FirstOrDefault(e => e.Raw["name"]!.GetValue<string>() == managedName);
            if (managed == null || State(managed) != "running")
            {
                return Error(503, "Endpoint is not ready");
            }

            return ++managed.HealthChecks > 1 ? (200, "application/json", "{}"u8.ToArray()) : Error(503, "Endpoint is starting up");
        }

        if (segments is ["api", "catalog"] && request.Method == "GET")
        {
            return Json(200, new JsonObject { ["models"] = new JsonArray([.. CatalogModels.Select(m => (JsonNode)JsonValue.Create(m))]) });
        }

        if (segments is ["api", "catalog", "deploy"] && request.Method == "POST")
        {
            return request.Header("authorization") == null ? Error(401, "Invalid credentials") : Deploy(request);
        }

        if (segments is ["v2", "provider", _] && request.Method == "GET")
        {
            return Json(200, JsonNode.Parse("""{"vendors":[{"name":"aws","regions":[{"name":"us-east-1","computes":[{"id":"aws-us-east-1-cpu-intel-icl-x2","accelerator":"cpu","instanceType":"intel-icl","instanceSize":"x2","architecture":"Intel Ice Lake","numAccelerators":1,"numCpus":2,"memoryGb":4,"pricePerHour":0.067,"status":"available"}]}]}]}""")!);
        }

        if (segments.Length < 3 || segments[0] != "v2" || segments[1] != "endpoint")
        {
            return null;
        }

        var ns = segments[2];
        if (segments.Length == 3)
        {
            return request.Method switch
            {
                "GET" => List(ns, request.Query),
                "POST" => Create(ns, request),
                _ => Error(405, "Method not allowed"),
            };
        }

        var key = ns + "/" + segments[3];
        if (!_endpoints.TryGetValue(key, out var endpoint))
        {
            return Error(404, $"Endpoint {segments[3]} not found");
        }

        switch (segments.Length == 4 ? request.Method : request.Method + " " + string.Join('/', segments[4..]))
        {
            case "GET":
                Advance(endpoint);
                return Json(200, endpoint.Raw);
            case "PUT":
                return Update(endpoint, request);
            case "DELETE":
                _endpoints.TryRemove(key, out _);
                return (200, "application/json", []);
            case "POST pause":
                SetState(endpoint, "paused", "Endpoint is paused", url: false);
                return Json(200, endpoint.Raw);
            case "POST resume":
                if (State(endpoint) == "running")
                {
                    return Error(400, "Endpoint is already running");
                }

                SetState(endpoint, "initializing", "Endpoint is initializing", url: false);
                return Json(200, endpoint.Raw);
            case "POST scale-to-zero":
                SetState(endpoint, "scaledToZero", "Endpoint is scaled to zero", url: true);
                return Json(200, endpoint.Raw);
            case "GET logs":
                return (200, "text/plain", Encoding.UTF8.GetBytes($"2024-01-01T00:00:00Z INFO starting {segments[3]}\n2024-01-01T00:00:01Z INFO ready\n"));
            default:
                if (request.Method == "POST" && segments.Length == 6 && segments[4] == "metrics")
                {
                    return Json(200, new JsonObject { ["metric"] = segments[5], ["values"] = new JsonArray(new JsonArray(1704067200, 3), new JsonArray(1704067260, 5)) });
                }

                return Error(404, "Not found");
        }
    }

    private (int, string, byte[]) List(string ns, string query)
    {
        var all = _endpoints.Values.Where(e => e.Namespace == ns).OrderBy(e => e.Raw["name"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
        var start = query.Contains("cursor=", StringComparison.Ordinal) ? int.Parse(query.Split("cursor=")[1].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var page = all.Skip(start).Take(PageSize).ToList();
        page.ForEach(Advance);
        var answer = new JsonObject { ["items"] = new JsonArray([.. page.Select(e => e.Raw.DeepClone())]) };
        if (start + PageSize < all.Count)
        {
            answer["nextCursor"] = (start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Json(200, answer);
    }

    /// <summary>The catalog's deploy: the model's tested configuration, created as POST /v2/endpoint would, answered as {"endpoint": …}.</summary>
    private (int, string, byte[]) Deploy(RecordedRequest request)
    {
        if (JsonNode.Parse(request.Body) is not JsonObject body || body["namespace"]?.GetValue<string>() is not { Length: > 0 } ns || body["repoId"]?.GetValue<string>() is not { Length: > 0 } repoId)
        {
            return Error(400, "The body needs namespace and repoId");
        }

        if (!CatalogModels.Contains(repoId, StringComparer.Ordinal))
        {
            return Error(400, $"{repoId} is not in the catalog");
        }

        var name = body["endpointName"]?.GetValue<string>() ?? new string(repoId.Split('/')[^1].ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').Take(32).ToArray());
        var endpoint = new JsonObject
        {
            ["name"] = name,
            ["type"] = "protected",
            ["provider"] = new JsonObject { ["vendor"] = "aws", ["region"] = "us-east-1" },
            ["compute"] = new JsonObject
            {
                ["accelerator"] = body["accelerator"]?.GetValue<string>() ?? "cpu", ["instanceType"] = "intel-icl", ["instanceSize"] = "x2",
                ["scaling"] = new JsonObject { ["minReplica"] = 0, ["maxReplica"] = 1, ["scaleToZeroTimeout"] = 15 },
            },
            ["model"] = new JsonObject { ["repository"] = repoId, ["framework"] = "pytorch", ["task"] = "text-classification", ["image"] = new JsonObject { ["huggingface"] = new JsonObject() } },
        };
        var (status, type, created) = CreateFrom(ns, endpoint);
        return status == 202 ? Json(200, new JsonObject { ["endpoint"] = JsonNode.Parse(created) }) : (status, type, created);
    }

    private (int, string, byte[]) Create(string ns, RecordedRequest request)
    {
        if (JsonNode.Parse(request.Body) is not JsonObject body)
        {
            return Error(400, "The body needs name, model.repository, compute.scaling and provider");
        }

        return CreateFrom(ns, body);
    }

    private (int, string, byte[]) CreateFrom(string ns, JsonObject body)
    {
        if (body["name"]?.GetValue<string>() is not { Length: > 0 } name
            || body["model"]?["repository"] == null || body["compute"]?["scaling"] == null || body["provider"]?["vendor"] == null)
        {
            return Error(400, "The body needs name, model.repository, compute.scaling and provider");
        }

        var now = DateTimeOffset.UtcNow.ToString("O");
        var account = new JsonObject { ["id"] = "6273f303f6d63a28483fde12", ["name"] = User };
        body["status"] = new JsonObject
        {
            ["createdAt"] = now, ["createdBy"] = account.DeepClone(), ["updatedAt"] = now, ["updatedBy"] = account.DeepClone(),
            ["private"] = null, ["state"] = "pending", ["message"] = "Endpoint waiting to be scheduled", ["readyReplica"] = 0, ["targetReplica"] = 0,
        };
        body["healthRoute"] = "/health";
        body["model"]!["secrets"] = null;
        var managed = new Managed { Raw = body, Namespace = ns };
        return _endpoints.TryAdd(ns + "/" + name, managed) ? Json(202, body) : Error(409, $"Endpoint {name} already exists");
    }

    private (int, string, byte[]) Update(Managed endpoint, RecordedRequest request)
    {
        if (JsonNode.Parse(request.Body) is not JsonObject update)
        {
            return Error(400, "The body must be a JSON object");
        }

        foreach (var (part, value) in update)
        {
            if (value is JsonObject changes && endpoint.Raw[part] is JsonObject target)
            {
                Merge(target, changes);
            }
        }

        endpoint.FailUpdate = update["model"]?["repository"]?.GetValue<string>() == FailingRepository;
        SetState(endpoint, "updating", "Endpoint is updating", url: true);
        return Json(200, endpoint.Raw);
    }

    private static void Merge(JsonObject target, JsonObject changes)
    {
        foreach (var (name, value) in changes)
        {
            if (value is JsonObject nested && target[name] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else if (value != null)
            {
                target[name] = value.DeepClone();
            }
        }
    }

    /// <summary>One step of the state machine, on every read.</summary>
    private void Advance(Managed endpoint)
    {
        var failing = endpoint.Raw["model"]?["repository"]?.GetValue<string>() == FailingRepository;
        switch (State(endpoint))
        {
            case "pending":
                SetState(endpoint, "initializing", "Endpoint is initializing", url: false);
                break;
            case "initializing" when failing:
                SetState(endpoint, "failed", "Endpoint failed to start: repository failing/model not found", url: false);
                break;
            case "initializing":
                SetState(endpoint, "running", "Endpoint is running", url: true);
                break;
            case "updating" when endpoint.FailUpdate:
                SetState(endpoint, "updateFailed", "Update failed: repository failing/model not found", url: true);
                break;
            case "updating":
                SetState(endpoint, "running", "Endpoint is running", url: true);
                break;
        }
    }

    private void SetState(Managed endpoint, string state, string message, bool url)
    {
        var status = endpoint.Raw["status"]!.AsObject();
        status["state"] = state;
        status["message"] = message;
        status["updatedAt"] = DateTimeOffset.UtcNow.ToString("O");
        var replicas = state is "running" or "updating" or "updateFailed" ? endpoint.Raw["compute"]?["scaling"]?["minReplica"]?.GetValue<int>() ?? 1 : 0;
        status["readyReplica"] = Math.Max(replicas, state == "running" ? 1 : 0);
        status["targetReplica"] = status["readyReplica"]!.GetValue<int>();
        status["url"] = url ? new Uri(baseUrl(), "managed/" + endpoint.Raw["name"]!.GetValue<string>()).ToString() : null;
        if (state != "running")
        {
            endpoint.HealthChecks = 0;
        }
    }

    /// <summary>The task a managed endpoint serves on this server.</summary>
    public string? TaskOf(string name) =>
        _endpoints.Values.FirstOrDefault(e => e.Raw["name"]!.GetValue<string>() == name)?.Raw["model"]?["task"]?.GetValue<string>() ?? "text-classification";

    private static string State(Managed endpoint) => endpoint.Raw["status"]!["state"]!.GetValue<string>();

    private static (int, string, byte[]) Json(int status, JsonNode body) => (status, "application/json", Encoding.UTF8.GetBytes(body.ToJsonString()));

    private static (int, string, byte[]) Error(int status, string message) => TaskAnswers.Error(status, message);
}
