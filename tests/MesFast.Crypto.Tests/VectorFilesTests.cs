namespace MesFast.Crypto.Tests;

public sealed class VectorFilesTests
{
    [Fact]
    public void Shared_vectors_are_reachable()
    {
        Assert.True(new FileInfo(VectorFiles.Path("blake3_test_vectors.json")).Length > 1000);
    }
}
