namespace Aha.Client
{
    /// <summary>What went wrong, by the status Aha! answered; switch on it or catch the matching subclass.</summary>
    public enum AhaErrorKind
    {
        /// <summary>Any status not listed below.</summary>
        Other = 0,

        /// <summary>400: the request is malformed or fails validation (<see cref="AhaBadRequestException"/>).</summary>
        BadRequest,

        /// <summary>401 or 403: the token is wrong or lacks permission; Aha! answers 403 for a bad token (<see cref="AhaAuthenticationException"/>).</summary>
        Authentication,

        /// <summary>404: no such record, or no access to it (<see cref="AhaNotFoundException"/>).</summary>
        NotFound,

        /// <summary>429: rate limit exceeded even after the client's retries (<see cref="AhaRateLimitException"/>).</summary>
        RateLimited,

        /// <summary>5xx other than a 504 on a GET: a server error (<see cref="AhaServerException"/>).</summary>
        ServerError,

        /// <summary>504 on a GET: Aha! timed out, usually because too much data was asked for (<see cref="AhaTooMuchDataException"/>).</summary>
        TooMuchData,
    }
}
