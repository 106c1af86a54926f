using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client.Serialization;

namespace Aha.Client
{
    // Link uploads: Aha! takes {"attachment": {"file_url", "content_type", "file_name"}} as JSON on the six upload paths.
    // The spec describes that body in x-aha-json-alternative, because NSwag generates one method per operation, from the
    // multipart form (openapi/DECISIONS.md, Attachments). These methods reuse the generated call (status handling,
    // typed errors, the 412 duplicate answer, response capture): only the body of its one request is swapped for JSON.
    public partial class AttachmentsClient
    {
        /// <summary>
        /// Attaches to a comment a file that Aha! downloads from a web address, instead of uploading its content (the JSON
        /// form of <see cref="CreateForCommentAsync"/>). The request is sent once, through the same pipeline as every
        /// call; with an <c>If-None-Match</c> header in <paramref name="options"/>, a file Aha! already holds is refused
        /// with a 412 (an <see cref="AhaApiException"/> whose <see cref="AhaApiException.StatusCode"/> is 412 and whose body is a <see cref="DuplicateAttachmentError"/>).
        /// </summary>
        /// <param name="commentId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file (<see cref="AttachmentLink.FileUrl"/>, an absolute <c>http</c> or <c>https</c> address), and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The attachment Aha! created (never null).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="commentId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload (for example 404 for an unknown record, 412 for a duplicate).</exception>
        public virtual Task<Attachment> CreateForCommentFromUrlAsync(string commentId, AttachmentLink link, AttachmentsCreateForCommentOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(commentId, nameof(commentId));
            var body = AttachmentLinkBody.Create(link);
            return AttachmentLinkBody.SendAsync(body, () => SendCreateForComment__Async(commentId, AttachmentLinkBody.Placeholder(), options, cancellationToken, null));
        }

        /// <summary>Like <see cref="CreateForCommentFromUrlAsync"/>, with the HTTP response (status, headers, rate-limit state, raw body).</summary>
        /// <param name="commentId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file, and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The response, with the attachment in <c>Value</c>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="commentId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload.</exception>
        public virtual Task<AhaResponse<Attachment>> CreateForCommentFromUrlWithResponseAsync(string commentId, AttachmentLink link, AttachmentsCreateForCommentOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(commentId, nameof(commentId));
            var body = AttachmentLinkBody.Create(link);
            return AhaCall.WithResponseAsync(capture => AttachmentLinkBody.SendAsync(body, () => SendCreateForComment__Async(commentId, AttachmentLinkBody.Placeholder(), options, cancellationToken, capture)));
        }

        /// <summary>
        /// Attaches to a custom note field's value on a record a file that Aha! downloads from a web address, instead of uploading its content (the JSON
        /// form of <see cref="CreateForCustomFieldValueAsync"/>). The request is sent once, through the same pipeline as every
        /// call; with an <c>If-None-Match</c> header in <paramref name="options"/>, a file Aha! already holds is refused
        /// with a 412 (an <see cref="AhaApiException"/> whose <see cref="AhaApiException.StatusCode"/> is 412 and whose body is a <see cref="DuplicateAttachmentError"/>).
        /// </summary>
        /// <param name="customFieldValueId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file (<see cref="AttachmentLink.FileUrl"/>, an absolute <c>http</c> or <c>https</c> address), and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The attachment Aha! created (never null).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="customFieldValueId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload (for example 404 for an unknown record, 412 for a duplicate).</exception>
        public virtual Task<Attachment> CreateForCustomFieldValueFromUrlAsync(string customFieldValueId, AttachmentLink link, AttachmentsCreateForCustomFieldValueOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(customFieldValueId, nameof(customFieldValueId));
            var body = AttachmentLinkBody.Create(link);
            return AttachmentLinkBody.SendAsync(body, () => SendCreateForCustomFieldValue__Async(customFieldValueId, AttachmentLinkBody.Placeholder(), options, cancellationToken, null));
        }

        /// <summary>Like <see cref="CreateForCustomFieldValueFromUrlAsync"/>, with the HTTP response (status, headers, rate-limit state, raw body).</summary>
        /// <param name="customFieldValueId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file, and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The response, with the attachment in <c>Value</c>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="customFieldValueId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload.</exception>
        public virtual Task<AhaResponse<Attachment>> CreateForCustomFieldValueFromUrlWithResponseAsync(string customFieldValueId, AttachmentLink link, AttachmentsCreateForCustomFieldValueOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(customFieldValueId, nameof(customFieldValueId));
            var body = AttachmentLinkBody.Create(link);
            return AhaCall.WithResponseAsync(capture => AttachmentLinkBody.SendAsync(body, () => SendCreateForCustomFieldValue__Async(customFieldValueId, AttachmentLinkBody.Placeholder(), options, cancellationToken, capture)));
        }

        /// <summary>
        /// Attaches to a custom note field a file that Aha! downloads from a web address, instead of uploading its content (the JSON
        /// form of <see cref="CreateForCustomFieldAsync"/>). The request is sent once, through the same pipeline as every
        /// call; with an <c>If-None-Match</c> header in <paramref name="options"/>, a file Aha! already holds is refused
        /// with a 412 (an <see cref="AhaApiException"/> whose <see cref="AhaApiException.StatusCode"/> is 412 and whose body is a <see cref="DuplicateAttachmentError"/>).
        /// </summary>
        /// <param name="customFieldId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file (<see cref="AttachmentLink.FileUrl"/>, an absolute <c>http</c> or <c>https</c> address), and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The attachment Aha! created (never null).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="customFieldId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload (for example 404 for an unknown record, 412 for a duplicate).</exception>
        public virtual Task<Attachment> CreateForCustomFieldFromUrlAsync(string customFieldId, AttachmentLink link, AttachmentsCreateForCustomFieldOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(customFieldId, nameof(customFieldId));
            var body = AttachmentLinkBody.Create(link);
            return AttachmentLinkBody.SendAsync(body, () => SendCreateForCustomField__Async(customFieldId, AttachmentLinkBody.Placeholder(), options, cancellationToken, null));
        }

        /// <summary>Like <see cref="CreateForCustomFieldFromUrlAsync"/>, with the HTTP response (status, headers, rate-limit state, raw body).</summary>
        /// <param name="customFieldId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file, and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The response, with the attachment in <c>Value</c>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="customFieldId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload.</exception>
        public virtual Task<AhaResponse<Attachment>> CreateForCustomFieldFromUrlWithResponseAsync(string customFieldId, AttachmentLink link, AttachmentsCreateForCustomFieldOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(customFieldId, nameof(customFieldId));
            var body = AttachmentLinkBody.Create(link);
            return AhaCall.WithResponseAsync(capture => AttachmentLinkBody.SendAsync(body, () => SendCreateForCustomField__Async(customFieldId, AttachmentLinkBody.Placeholder(), options, cancellationToken, capture)));
        }

        /// <summary>
        /// Attaches to an idea comment (ideas portal) a file that Aha! downloads from a web address, instead of uploading its content (the JSON
        /// form of <see cref="CreateForIdeaCommentAsync"/>). The request is sent once, through the same pipeline as every
        /// call; with an <c>If-None-Match</c> header in <paramref name="options"/>, a file Aha! already holds is refused
        /// with a 412 (an <see cref="AhaApiException"/> whose <see cref="AhaApiException.StatusCode"/> is 412 and whose body is a <see cref="DuplicateAttachmentError"/>).
        /// </summary>
        /// <param name="ideaCommentId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file (<see cref="AttachmentLink.FileUrl"/>, an absolute <c>http</c> or <c>https</c> address), and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The attachment Aha! created (never null).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="ideaCommentId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload (for example 404 for an unknown record, 412 for a duplicate).</exception>
        public virtual Task<Attachment> CreateForIdeaCommentFromUrlAsync(string ideaCommentId, AttachmentLink link, AttachmentsCreateForIdeaCommentOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(ideaCommentId, nameof(ideaCommentId));
            var body = AttachmentLinkBody.Create(link);
            return AttachmentLinkBody.SendAsync(body, () => SendCreateForIdeaComment__Async(ideaCommentId, AttachmentLinkBody.Placeholder(), options, cancellationToken, null));
        }

        /// <summary>Like <see cref="CreateForIdeaCommentFromUrlAsync"/>, with the HTTP response (status, headers, rate-limit state, raw body).</summary>
        /// <param name="ideaCommentId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file, and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The response, with the attachment in <c>Value</c>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="ideaCommentId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload.</exception>
        public virtual Task<AhaResponse<Attachment>> CreateForIdeaCommentFromUrlWithResponseAsync(string ideaCommentId, AttachmentLink link, AttachmentsCreateForIdeaCommentOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(ideaCommentId, nameof(ideaCommentId));
            var body = AttachmentLinkBody.Create(link);
            return AhaCall.WithResponseAsync(capture => AttachmentLinkBody.SendAsync(body, () => SendCreateForIdeaComment__Async(ideaCommentId, AttachmentLinkBody.Placeholder(), options, cancellationToken, capture)));
        }

        /// <summary>
        /// Attaches to a record's description (a note) a file that Aha! downloads from a web address, instead of uploading its content (the JSON
        /// form of <see cref="CreateForNoteAsync"/>). The request is sent once, through the same pipeline as every
        /// call; with an <c>If-None-Match</c> header in <paramref name="options"/>, a file Aha! already holds is refused
        /// with a 412 (an <see cref="AhaApiException"/> whose <see cref="AhaApiException.StatusCode"/> is 412 and whose body is a <see cref="DuplicateAttachmentError"/>).
        /// </summary>
        /// <param name="noteId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file (<see cref="AttachmentLink.FileUrl"/>, an absolute <c>http</c> or <c>https</c> address), and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The attachment Aha! created (never null).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="noteId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload (for example 404 for an unknown record, 412 for a duplicate).</exception>
        public virtual Task<Attachment> CreateForNoteFromUrlAsync(string noteId, AttachmentLink link, AttachmentsCreateForNoteOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(noteId, nameof(noteId));
            var body = AttachmentLinkBody.Create(link);
            return AttachmentLinkBody.SendAsync(body, () => SendCreateForNote__Async(noteId, AttachmentLinkBody.Placeholder(), options, cancellationToken, null));
        }

        /// <summary>Like <see cref="CreateForNoteFromUrlAsync"/>, with the HTTP response (status, headers, rate-limit state, raw body).</summary>
        /// <param name="noteId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file, and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The response, with the attachment in <c>Value</c>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="noteId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload.</exception>
        public virtual Task<AhaResponse<Attachment>> CreateForNoteFromUrlWithResponseAsync(string noteId, AttachmentLink link, AttachmentsCreateForNoteOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(noteId, nameof(noteId));
            var body = AttachmentLinkBody.Create(link);
            return AhaCall.WithResponseAsync(capture => AttachmentLinkBody.SendAsync(body, () => SendCreateForNote__Async(noteId, AttachmentLinkBody.Placeholder(), options, cancellationToken, capture)));
        }

        /// <summary>
        /// Attaches to a to-do a file that Aha! downloads from a web address, instead of uploading its content (the JSON
        /// form of <see cref="CreateForTaskAsync"/>). The request is sent once, through the same pipeline as every
        /// call; with an <c>If-None-Match</c> header in <paramref name="options"/>, a file Aha! already holds is refused
        /// with a 412 (an <see cref="AhaApiException"/> whose <see cref="AhaApiException.StatusCode"/> is 412 and whose body is a <see cref="DuplicateAttachmentError"/>).
        /// </summary>
        /// <param name="taskId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file (<see cref="AttachmentLink.FileUrl"/>, an absolute <c>http</c> or <c>https</c> address), and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The attachment Aha! created (never null).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="taskId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload (for example 404 for an unknown record, 412 for a duplicate).</exception>
        public virtual Task<Attachment> CreateForTaskFromUrlAsync(string taskId, AttachmentLink link, AttachmentsCreateForTaskOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(taskId, nameof(taskId));
            var body = AttachmentLinkBody.Create(link);
            return AttachmentLinkBody.SendAsync(body, () => SendCreateForTask__Async(taskId, AttachmentLinkBody.Placeholder(), options, cancellationToken, null));
        }

        /// <summary>Like <see cref="CreateForTaskFromUrlAsync"/>, with the HTTP response (status, headers, rate-limit state, raw body).</summary>
        /// <param name="taskId">Id of the record the file is attached to.</param>
        /// <param name="link">Where Aha! fetches the file, and the name and media type to record.</param>
        /// <param name="options">Headers and other per-call settings.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The response, with the attachment in <c>Value</c>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="taskId"/> or <paramref name="link"/> is null.</exception>
        /// <exception cref="ArgumentException">An id is empty, or the link has no absolute http(s) address, a blank name or an invalid media type; nothing is sent.</exception>
        /// <exception cref="AhaApiException">Aha! refused the upload.</exception>
        public virtual Task<AhaResponse<Attachment>> CreateForTaskFromUrlWithResponseAsync(string taskId, AttachmentLink link, AttachmentsCreateForTaskOptions? options = null, CancellationToken cancellationToken = default)
        {
            AhaCall.RequireId(taskId, nameof(taskId));
            var body = AttachmentLinkBody.Create(link);
            return AhaCall.WithResponseAsync(capture => AttachmentLinkBody.SendAsync(body, () => SendCreateForTask__Async(taskId, AttachmentLinkBody.Placeholder(), options, cancellationToken, capture)));
        }
    }

    /// <summary>The JSON body of a link upload, checked before anything is sent, and the swap of the generated multipart body for it.</summary>
    internal static class AttachmentLinkBody
    {
        /// <summary>Checks the link and returns the request body (<c>{"attachment": {...}}</c>) as JSON text.</summary>
        public static string Create(AttachmentLink link)
        {
            if (link is null)
            {
                throw new ArgumentNullException(nameof(link), "A link upload needs the file's address: pass new AttachmentLink { FileUrl = \"https://...\" }.");
            }

            if (string.IsNullOrWhiteSpace(link.FileUrl))
            {
                throw new ArgumentException("AttachmentLink.FileUrl is empty: give the absolute http or https address Aha! downloads the file from.", nameof(link));
            }

            if (!Uri.TryCreate(link.FileUrl, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"AttachmentLink.FileUrl '{link.FileUrl}' is not an absolute http or https address (for example https://example.com/spec.pdf).", nameof(link));
            }

            if (link.FileName is not null && string.IsNullOrWhiteSpace(link.FileName))
            {
                throw new ArgumentException("AttachmentLink.FileName is blank: give the name to show, or leave it null.", nameof(link));
            }

            if (link.ContentType is not null && !MediaTypeHeaderValue.TryParse(link.ContentType, out _))
            {
                throw new ArgumentException($"AttachmentLink.ContentType '{link.ContentType}' is not a media type (for example text/html or application/pdf).", nameof(link));
            }

            return AhaJson.Serialize(new AttachmentLinkRequest { Attachment = link });
        }

        /// <summary>The file the generated multipart method requires; its form is replaced by the JSON body before sending.</summary>
        public static FileParameter Placeholder() => new FileParameter(Stream.Null, "link");

        /// <summary>Runs the generated call with <paramref name="json"/> as the body of its request.</summary>
        public static async Task<T> SendAsync<T>(string json, Func<Task<T>> send)
        {
            var previous = AhaCall.BodyOverride.Value;
            AhaCall.BodyOverride.Value = () => new StringContent(json, Encoding.UTF8, "application/json");
            try
            {
                return await send().ConfigureAwait(false);
            }
            finally
            {
                AhaCall.BodyOverride.Value = previous;
            }
        }
    }
}
