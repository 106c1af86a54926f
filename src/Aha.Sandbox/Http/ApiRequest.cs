using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Aha.Sandbox.Http
{
    /// <summary>A request as the handlers see it: route values, query and the already-read body.</summary>
    internal sealed class ApiRequest
    {
        public ApiRequest(HttpContext http, string rawBody)
        {
            Http = http;
            RawBody = rawBody;
        }

        public HttpContext Http { get; }

        public string RawBody { get; }

        public string Method => Http.Request.Method;

        public string Path => Http.Request.Path.Value ?? string.Empty;

        public string Route(string name) => Http.Request.RouteValues[name]?.ToString() ?? string.Empty;

        public string? Query(string name)
        {
            var values = Http.Request.Query[name];
            return values.Count == 0 ? null : values[values.Count - 1];
        }

        /// <summary>The body parsed as JSON; throws a 400 when it is missing or malformed.</summary>
        public JsonNode Json()
        {
            if (string.IsNullOrWhiteSpace(RawBody))
            {
                throw ApiError.BadRequest("A JSON request body is required.");
            }

            try
            {
                return JsonNode.Parse(RawBody) ?? throw ApiError.BadRequest("The request body must be a JSON object, not null.");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw ApiError.BadRequest("The request body is not valid JSON: " + e.Message);
            }
        }
    }

    /// <summary>What a handler answers: a status and an optional JSON body.</summary>
    internal sealed class ApiResult
    {
        public ApiResult(int status, JsonNode? body)
        {
            Status = status;
            Body = body;
        }

        public int Status { get; }

        public JsonNode? Body { get; }

        /// <summary>Headers to send with the answer besides the usual ones (<c>X-Historical-Tokens-Available</c>).</summary>
        public System.Collections.Generic.Dictionary<string, string> Headers { get; } = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);

        public static ApiResult Ok(JsonNode body) => new ApiResult(200, body);

        public static ApiResult NoContent() => new ApiResult(204, null);

        public static ApiResult Error(int status, string message) =>
            new ApiResult(status, new JsonObject { ["error"] = ApiError.Title(status), ["message"] = message });
    }
}
