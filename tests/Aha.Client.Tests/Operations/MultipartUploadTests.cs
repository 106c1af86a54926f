using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using NUnit.Framework;
using Aha.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Operations
{
    /// <summary>
    /// Attachment uploads are multipart/form-data with the part <c>attachment[data]</c>. .NET would name the file twice
    /// (<c>filename=</c> and <c>filename*=</c>), which some multipart parsers reject (Prism's crashes on it); the client
    /// sends an ASCII name once, quoted, and keeps the encoded form only for names that need it. The file is a required
    /// parameter of every upload: a missing file fails before any request, never as an empty upload.
    /// </summary>
    public class MultipartUploadTests
    {
        private static readonly System.Uri MockBase = new System.Uri("https://mock.aha.io/api/v1/");

        private static async Task<(string ContentType, string Body)> UploadAsync(string fileName)
        {
            string? contentType = null, body = null;
            var mock = new MockHttpMessageHandler();
            mock.When(HttpMethod.Post, "https://mock.aha.io/api/v1/tasks/TSK-1/attachments").Respond(async request =>
            {
                contentType = request.Content!.Headers.ContentType!.ToString();
                body = await request.Content.ReadAsStringAsync();
                return TestClients.Json(HttpStatusCode.OK, "{\"attachment\":{\"id\":\"77\",\"file_name\":\"x\"}}");
            });
            using var http = new HttpClient(mock) { BaseAddress = MockBase };
            var aha = new AhaClient(http);

            await aha.Attachments.CreateForTaskAsync("TSK-1", new FileParameter(new MemoryStream(Encoding.UTF8.GetBytes("release notes")), fileName, "text/plain"));

            return (contentType!, body!);
        }

        [Test]
        public async Task An_ascii_file_name_is_sent_once_quoted()
        {
            var (contentType, body) = await UploadAsync("release notes.txt");

            Assert.That(contentType, Does.StartWith("multipart/form-data; boundary="));
            Assert.That(body, Does.Contain("name=\"attachment[data]\""));
            Assert.That(body, Does.Contain("filename=\"release notes.txt\""));
            Assert.That(body, Does.Not.Contain("filename*"));
            Assert.That(body, Does.Contain("release notes"));
        }

        [Test]
        public async Task A_missing_file_fails_before_any_request()
        {
            var mock = new MockHttpMessageHandler();
            var sent = mock.When("*").Respond(HttpStatusCode.OK);
            using var http = new HttpClient(mock) { BaseAddress = MockBase };
            var aha = new AhaClient(http);

            var error = await Assert.ThrowsAsync<System.ArgumentNullException>(() => aha.Attachments.CreateForTaskAsync("TSK-1", null!));
            Assert.That(error!.ParamName, Is.EqualTo("file"));
            await Assert.ThrowsAsync<System.ArgumentNullException>(() => aha.Attachments.CreateForCommentWithResponseAsync("1", null!));
            Assert.That(mock.GetMatchCount(sent), Is.Zero, "nothing is uploaded");
        }

        [Test]
        public void A_file_without_content_is_refused_when_it_is_made()
        {
            var error = Assert.Throws<System.ArgumentNullException>(() => new FileParameter(null!, "notes.txt"));
            Assert.That(error!.ParamName, Is.EqualTo("data"));
        }

        [Test]
        public async Task A_name_outside_ascii_keeps_its_encoded_form()
        {
            var (_, body) = await UploadAsync("notes-é.txt");

            Assert.That(body, Does.Contain("filename*=utf-8''notes-%C3%A9.txt"));
        }
    }
}
