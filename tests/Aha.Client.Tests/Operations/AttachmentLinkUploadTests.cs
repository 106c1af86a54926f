using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Operations
{
    /// <summary>
    /// Link uploads (<c>Attachments.CreateFor...FromUrlAsync</c>): the JSON body <c>{"attachment": {"file_url",
    /// "content_type", "file_name"}}</c> on the upload path, sent once through the generated call, so errors, the 412
    /// duplicate answer and the response capture behave as for a file upload. A bad link fails before any request.
    /// </summary>
    public class AttachmentLinkUploadTests
    {
        private const string Answer = "{\"attachment\":{\"id\":\"6776757454438844608\",\"content_type\":\"text/html\",\"file_name\":\"home_page.html\",\"file_size\":0}}";

        private static AttachmentLink HomePage() => new AttachmentLink { FileUrl = "http://www.aha.io/", ContentType = "text/html", FileName = "home_page.html" };

        /// <summary>Every upload path, with the call that attaches a link there.</summary>
        private static IEnumerable<TestCaseData> Paths()
        {
            yield return new TestCaseData("comments/77/attachments", (Func<AttachmentsClient, AttachmentLink, Task<Attachment>>)((c, l) => c.CreateForCommentFromUrlAsync("77", l))).SetName("Comment");
            yield return new TestCaseData("idea_comments/77/attachments", (Func<AttachmentsClient, AttachmentLink, Task<Attachment>>)((c, l) => c.CreateForIdeaCommentFromUrlAsync("77", l))).SetName("IdeaComment");
            yield return new TestCaseData("tasks/77/attachments", (Func<AttachmentsClient, AttachmentLink, Task<Attachment>>)((c, l) => c.CreateForTaskFromUrlAsync("77", l))).SetName("Task");
            yield return new TestCaseData("notes/77/attachments", (Func<AttachmentsClient, AttachmentLink, Task<Attachment>>)((c, l) => c.CreateForNoteFromUrlAsync("77", l))).SetName("Note");
            yield return new TestCaseData("custom_fields/77/attachments", (Func<AttachmentsClient, AttachmentLink, Task<Attachment>>)((c, l) => c.CreateForCustomFieldFromUrlAsync("77", l))).SetName("CustomField");
            yield return new TestCaseData("custom_field_values/77/attachments", (Func<AttachmentsClient, AttachmentLink, Task<Attachment>>)((c, l) => c.CreateForCustomFieldValueFromUrlAsync("77", l))).SetName("CustomFieldValue");
        }

        [TestCaseSource(nameof(Paths))]
        public async Task A_link_is_sent_once_as_the_documented_json_body(string path, Func<AttachmentsClient, AttachmentLink, Task<Attachment>> attach)
        {
            string? contentType = null, body = null;
            var mock = new MockHttpMessageHandler();
            var upload = mock.When(HttpMethod.Post, TestClients.BaseUrl + path).Respond(async request =>
            {
                contentType = request.Content!.Headers.ContentType!.MediaType;
                body = await request.Content.ReadAsStringAsync();
                return TestClients.Json(HttpStatusCode.OK, Answer);
            });
            var aha = TestClients.Create(new TestClock(), mock);

            var attachment = await attach(aha.Attachments, HomePage());

            Assert.That(attachment.Id, Is.EqualTo("6776757454438844608"));
            Assert.That(attachment.FileName, Is.EqualTo("home_page.html"));
            Assert.That(contentType, Is.EqualTo("application/json"));
            Assert.That(JToken.DeepEquals(JObject.Parse(body!), JObject.Parse("{\"attachment\":{\"file_url\":\"http://www.aha.io/\",\"content_type\":\"text/html\",\"file_name\":\"home_page.html\"}}")), Is.True, body);
            Assert.That(mock.GetMatchCount(upload), Is.EqualTo(1), "one request, no duplicate write");
        }

        /// <summary>The spec's examples of the JSON form (<c>x-aha-json-alternative</c>) of every upload operation.</summary>
        private static IEnumerable<TestCaseData> SpecExamples() =>
            from operation in Contract.Spec.Operations
            where operation.HasJsonAlternative
            from example in Contract.GeneratedClients.JsonAlternativeExamples(operation)
            select new TestCaseData(operation, example.Key, example.Value).SetName($"LinkExample_{operation.OperationId}_{example.Key}");

        [Test]
        public void Every_upload_declares_its_json_form_with_an_example()
        {
            var uploads = Contract.Spec.Operations.Where(o => o.IsUpload).ToList();
            Assert.That(uploads, Has.Count.EqualTo(6));
            Assert.That(uploads.Where(o => !o.HasJsonAlternative).Select(o => o.OperationId), Is.Empty, "every upload describes its link form");
            Assert.That(SpecExamples().Count(), Is.GreaterThanOrEqualTo(6));
        }

        [TestCaseSource(nameof(SpecExamples))]
        public async Task The_spec_example_of_the_json_form_reaches_the_wire_unchanged(Contract.SpecOperation operation, string name, string json)
        {
            string? body = null;
            var mock = new MockHttpMessageHandler();
            mock.When(HttpMethod.Post, "*").Respond(async request =>
            {
                body = await request.Content!.ReadAsStringAsync();
                return TestClients.Json(HttpStatusCode.OK, Answer);
            });
            var aha = TestClients.Create(new TestClock(), mock);
            var method = Contract.GeneratedClients.LinkMethod(operation);
            Assert.That(method, Is.Not.Null, operation.OperationId);
            var link = JObject.Parse(json)["attachment"]!.ToObject<AttachmentLink>()!;

            var attachment = await (Task<Attachment>)method!.Invoke(aha.Attachments, new object?[] { "77", link, null, System.Threading.CancellationToken.None })!;

            Assert.That(attachment.Id, Is.EqualTo("6776757454438844608"));
            Assert.That(JToken.DeepEquals(JObject.Parse(body!), JObject.Parse(json)), Is.True, $"{operation} example '{name}': {body}");
        }

        [Test]
        public async Task Name_and_media_type_may_be_left_out()
        {
            string? body = null;
            var mock = new MockHttpMessageHandler();
            mock.When(HttpMethod.Post, TestClients.BaseUrl + "tasks/T-1/attachments").Respond(async request =>
            {
                body = await request.Content!.ReadAsStringAsync();
                return TestClients.Json(HttpStatusCode.OK, Answer);
            });
            var aha = TestClients.Create(new TestClock(), mock);

            await aha.Attachments.CreateForTaskFromUrlAsync("T-1", new AttachmentLink { FileUrl = "https://example.com/spec.pdf" });

            Assert.That(JToken.DeepEquals(JObject.Parse(body!), JObject.Parse("{\"attachment\":{\"file_url\":\"https://example.com/spec.pdf\"}}")), Is.True, body);
        }

        [Test]
        public async Task A_bad_link_is_refused_before_any_request()
        {
            var mock = new MockHttpMessageHandler();
            var sent = mock.When("*").Respond(HttpStatusCode.OK);
            var aha = TestClients.Create(new TestClock(), mock);

            var missing = await Assert.ThrowsAsync<ArgumentNullException>(() => aha.Attachments.CreateForCommentFromUrlAsync("1", null!));
            Assert.That(missing!.ParamName, Is.EqualTo("link"));

            foreach (var (link, says) in new[]
            {
                (new AttachmentLink(), "FileUrl is empty"),
                (new AttachmentLink { FileUrl = "  " }, "FileUrl is empty"),
                (new AttachmentLink { FileUrl = "/files/spec.pdf" }, "'/files/spec.pdf' is not an absolute http or https address"),
                (new AttachmentLink { FileUrl = "ftp://example.com/spec.pdf" }, "'ftp://example.com/spec.pdf' is not an absolute http or https address"),
                (new AttachmentLink { FileUrl = "https://example.com/a", FileName = " " }, "FileName is blank"),
                (new AttachmentLink { FileUrl = "https://example.com/a", ContentType = "pdf please" }, "ContentType 'pdf please' is not a media type"),
            })
            {
                var error = await Assert.ThrowsAsync<ArgumentException>(() => aha.Attachments.CreateForCommentFromUrlAsync("1", link));
                Assert.That(error!.Message, Does.Contain(says));
                Assert.That(error.ParamName, Is.EqualTo("link"));
                await Assert.ThrowsAsync<ArgumentException>(() => aha.Attachments.CreateForTaskFromUrlWithResponseAsync("1", link));
            }

            await Assert.ThrowsAsync<ArgumentException>(() => aha.Attachments.CreateForNoteFromUrlAsync(" ", HomePage()));
            Assert.That(mock.GetMatchCount(sent), Is.Zero, "nothing is sent");
        }

        [Test]
        public async Task A_duplicate_is_the_412_answer_as_for_a_file_upload()
        {
            string? ifNoneMatch = null;
            var mock = new MockHttpMessageHandler();
            var upload = mock.When(HttpMethod.Post, TestClients.BaseUrl + "comments/77/attachments").Respond(request =>
            {
                ifNoneMatch = request.Headers.TryGetValues("If-None-Match", out var values) ? values.Single() : null;
                return TestClients.Json(HttpStatusCode.PreconditionFailed, "{\"status\":\"duplicate\",\"success\":false,\"attachmentId\":6776757454438844608,\"message\":\"already attached\"}");
            });
            var aha = TestClients.Create(new TestClock(), mock);
            var options = new AttachmentsCreateForCommentOptions();
            options.Headers["If-None-Match"] = "*";

            var error = await Assert.CatchAsync<AhaApiException>(() => aha.Attachments.CreateForCommentFromUrlAsync("77", HomePage(), options));

            Assert.That(error!.StatusCode, Is.EqualTo(412));
            var answer = Newtonsoft.Json.JsonConvert.DeserializeObject<DuplicateAttachmentError>(error.Response!)!;
            Assert.That(answer.Status, Is.EqualTo("duplicate"));
            Assert.That(answer.AttachmentId, Is.EqualTo("6776757454438844608"));
            Assert.That(ifNoneMatch, Is.EqualTo("*"));
            Assert.That(mock.GetMatchCount(upload), Is.EqualTo(1), "a 412 is not retried");
        }

        [Test]
        public async Task With_response_gives_the_status_and_the_attachment_and_a_later_call_is_a_file_upload_again()
        {
            var mock = new MockHttpMessageHandler();
            var contentTypes = new List<string>();
            mock.When(HttpMethod.Post, TestClients.BaseUrl + "tasks/T-1/attachments").Respond(request =>
            {
                contentTypes.Add(request.Content!.Headers.ContentType!.MediaType!);
                return TestClients.Json(HttpStatusCode.OK, Answer);
            });
            var aha = TestClients.Create(new TestClock(), mock);

            var response = await aha.Attachments.CreateForTaskFromUrlWithResponseAsync("T-1", HomePage());
            await aha.Attachments.CreateForTaskAsync("T-1", new FileParameter(new System.IO.MemoryStream(new byte[] { 1, 2, 3 }), "a.bin"));

            Assert.That(response.Status, Is.EqualTo(200));
            Assert.That(response.Value.FileName, Is.EqualTo("home_page.html"));
            Assert.That(contentTypes, Is.EqualTo(new[] { "application/json", "multipart/form-data" }), "the JSON body applies to the link upload only");
        }
    }
}
