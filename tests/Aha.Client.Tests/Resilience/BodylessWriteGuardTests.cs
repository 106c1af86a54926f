using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Resilience
{
    /// <summary>
    /// A body-less POST reaches the transport with an empty body, so SocketsHttpHandler cannot silently re-send it on a
    /// reused connection (dotnet/runtime#86714); GETs are left alone.
    /// </summary>
    public class BodylessWriteGuardTests
    {
        [Test]
        public async Task A_POST_without_content_is_sent_with_an_empty_body_and_a_GET_without_one()
        {
            HttpContent? postContent = null;
            HttpContent? getContent = new StringContent("marker");
            var mock = new MockHttpMessageHandler();
            mock.When(HttpMethod.Post, "*").Respond(req =>
            {
                postContent = req.Content;
                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            mock.When(HttpMethod.Get, "*").Respond(req =>
            {
                getContent = req.Content;
                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(new TestClock(), mock);

            using (var request = new HttpRequestMessage(HttpMethod.Post, "releases/PRJ1-R-1/duplicate"))
            using (await aha.HttpClient.SendAsync(request))
            {
            }

            using (await aha.HttpClient.GetAsync("features"))
            {
            }

            Assert.That(postContent, Is.Not.Null, "the POST got a body");
            Assert.That(await postContent!.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(postContent.Headers.ContentLength, Is.EqualTo(0));
            Assert.That(getContent, Is.Null, "a GET stays body-less");
        }
    }
}
