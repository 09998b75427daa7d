import Hummingbird

/// Refuses (403) every request without the station's token, and keeps the pages to
/// themselves: no scripts, styles or frames from anywhere else (nothing is fetched from outside).
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    let token: StationToken

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let given = request.headers[.init("X-Review-Token")!] ?? request.uri.queryParameters.get("token")
        var response: Response
        if token.admits(given) {
            do { response = try await next(request, context) } catch let error as HTTPResponseError {
                throw error
            } catch {
                // digitd's one-line reason, for the page to show.
                response = try ReviewStation.json(["error": "\(error)"])
                response.status = .badRequest
            }
        } else {
            response = Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: "digitd review: this address needs the token digitctl review printed\n")))
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'"
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
