using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Refit;

namespace HuggingFace.Inference.Endpoints;

/// <summary>
/// The one Hub route the Endpoints client needs, <c>GET /api/whoami-v2</c> (whose namespace a token is).
/// Hand-written, not generated: it is the Hub's API, not the management API's document.
/// </summary>
public interface IHuggingFaceHubApi
{
    /// <summary>Who the token belongs to: the Hub's JSON (<c>name</c>, <c>orgs</c>, <c>auth</c> …).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/api/whoami-v2")]
    Task<JsonElement> WhoAmIAsync(CancellationToken cancellationToken = default);
}
