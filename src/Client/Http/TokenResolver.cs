using System;
using System.IO;

namespace HuggingFace.Inference.Http;

/// <summary>Finds the Hugging Face token the way the Python client does.</summary>
internal static class TokenResolver
{
    public static string? Resolve(string? explicitToken, bool sendToken)
    {
        if (!sendToken)
        {
            return null;
        }

        return Clean(explicitToken)
            ?? Clean(Environment.GetEnvironmentVariable("HF_TOKEN"))
            ?? Clean(Environment.GetEnvironmentVariable("HUGGING_FACE_HUB_TOKEN"))
            ?? Clean(ReadTokenFile());
    }

    private static string? ReadTokenFile()
    {
        var path = Environment.GetEnvironmentVariable("HF_TOKEN_PATH");
        if (string.IsNullOrWhiteSpace(path))
        {
            var home = Environment.GetEnvironmentVariable("HF_HOME");
            if (string.IsNullOrWhiteSpace(home))
            {
                var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                if (string.IsNullOrEmpty(user))
                {
                    return null;
                }

                home = Path.Combine(user, ".cache", "huggingface");
            }

            path = Path.Combine(home, "token");
        }

        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // An unreadable token file is the same as none: the call goes out anonymous, and the
            // server's 401 says so more clearly than a file error would.
            return null;
        }
    }

    private static string? Clean(string? token)
    {
        var trimmed = token?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
