using System;
using System.Collections.Generic;

namespace Aha.Client
{
    /// <summary>Placeholder, replaced by the typed error hierarchy.</summary>
    public partial class AhaApiException : Exception
    {
        /// <summary>HTTP status.</summary>
        public int StatusCode { get; }

        /// <summary>Creates the exception (signature used by the generated client).</summary>
        public AhaApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
            : base(message, innerException)
        {
            StatusCode = statusCode;
        }
    }

    /// <summary>Placeholder.</summary>
    public partial class AhaApiException<TResult> : AhaApiException
    {
        /// <summary>Result.</summary>
        public TResult Result { get; }

        /// <summary>Creates the exception (signature used by the generated client).</summary>
        public AhaApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
            : base(message, statusCode, response, headers, innerException)
        {
            Result = result;
        }
    }
}
