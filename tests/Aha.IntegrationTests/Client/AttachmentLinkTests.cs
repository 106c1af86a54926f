using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Aha.Client;
using Aha.Sandbox;
using Newtonsoft.Json.Linq;

namespace Aha.IntegrationTests.Client
{
    /// <summary>
    /// Link uploads against the sandbox: the client's JSON body is accepted on the upload path and creates an attachment
    /// under the record, a second upload of the same address with <c>If-None-Match</c> is the 412 duplicate answer,
    /// and a file upload (multipart) is still answered as before.
    /// </summary>
    [TestFixture]
    public sealed class AttachmentLinkTests
    {
        [Test]
        [CancelAfter(60_000)]
        public async Task A_link_upload_round_trips_through_the_sandbox(CancellationToken cancellationToken)
        {
            var options = new AhaSandboxOptions { FeaturesPerProduct = 30, IdeasPerProduct = 10 };
            options.RateLimit.Enabled = false;
            await using var sandbox = await AhaSandbox.StartAsync(options, cancellationToken);
            var aha = sandbox.CreateClient();
            var idea = sandbox.Records("idea", "id").First()["id"]!.ToString();
            using var http = sandbox.CreateHttpClient();
            using var post = await http.PostAsync($"ideas/{idea}/comments", new StringContent("{\"comment\": {\"body\": \"<p>see the link</p>\"}}", Encoding.UTF8, "application/json"), cancellationToken);
            var comment = (string)JObject.Parse(await post.Content.ReadAsStringAsync(cancellationToken))["comment"]!["id"]!;
            var link = new AttachmentLink { FileUrl = "https://example.com/launch-plan.pdf", ContentType = "application/pdf", FileName = "launch-plan.pdf" };

            var attachment = await aha.Attachments.CreateForCommentFromUrlAsync(comment, link, cancellationToken: cancellationToken);

            Assert.That(attachment.Id, Is.Not.Null.And.Not.Empty);
            Assert.That(attachment.FileName, Is.EqualTo("launch-plan.pdf"));
            Assert.That(attachment.ContentType, Is.EqualTo("application/pdf"));
            Assert.That(sandbox.Statistics.RequestsTo("POST /api/v1/comments/{comment_id}/attachments"), Is.EqualTo(1));

            var again = new AttachmentsCreateForCommentOptions();
            again.Headers["If-None-Match"] = "*";
            var duplicate = await Assert.CatchAsync<AhaApiException>(() => aha.Attachments.CreateForCommentFromUrlAsync(comment, link, again, cancellationToken));
            Assert.That(duplicate!.StatusCode, Is.EqualTo(412));
            var answer = Newtonsoft.Json.JsonConvert.DeserializeObject<DuplicateAttachmentError>(duplicate.Response!)!;
            Assert.That(answer.Status, Is.EqualTo("duplicate"));
            Assert.That(answer.AttachmentId, Is.EqualTo(attachment.Id));
            Assert.That(sandbox.Records("attachment", "id").Count(a => (string?)a["id"] == attachment.Id), Is.EqualTo(1), "the duplicate created nothing");

            // An unknown record is a 404, as for any write under a parent.
            var unknown = await Assert.CatchAsync<AhaApiException>(() => aha.Attachments.CreateForCommentFromUrlAsync("999999999", link, cancellationToken: cancellationToken));
            Assert.That(unknown!.StatusCode, Is.EqualTo(404));

            // What the client refuses before sending, the sandbox refuses too (a relative address).
            using var bad = await http.PostAsync($"comments/{comment}/attachments", new StringContent("{\"attachment\": {\"file_url\": \"/files/a.pdf\"}}", Encoding.UTF8, "application/json"), cancellationToken);
            Assert.That((int)bad.StatusCode, Is.EqualTo(400), await bad.Content.ReadAsStringAsync(cancellationToken));

            // A file upload (multipart) is answered as before.
            var file = await aha.Attachments.CreateForCommentAsync(comment, new FileParameter(new System.IO.MemoryStream(Encoding.UTF8.GetBytes("notes")), "notes.txt", "text/plain"), cancellationToken: cancellationToken);
            Assert.That(file.Id, Is.Not.Null.And.Not.Empty);
        }
    }
}
