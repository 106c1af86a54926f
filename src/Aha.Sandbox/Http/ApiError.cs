using System;

namespace Aha.Sandbox.Http
{
    /// <summary>Thrown by request handling to answer with an error status and a JSON <c>{"error", "message"}</c> body.</summary>
    internal sealed class ApiError : Exception
    {
        public ApiError(int status, string message)
            : base(message)
        {
            Status = status;
        }

        public int Status { get; }

        public static ApiError BadRequest(string message) => new ApiError(400, message);

        public static ApiError NotFound(string message) => new ApiError(404, message);

        public static string Title(int status) => status switch
        {
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            429 => "Rate limit exceeded",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "Error",
        };
    }
}
