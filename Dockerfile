# syntax=docker/dockerfile:1

# Build: a static binary, so that the runtime image needs no Go and no C library match.
FROM golang:1.26-trixie AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/accessledger ./cmd/accessledger

# Runtime: slim Debian, with curl for the compose health check, running as a non-root
# user. It holds no PostgreSQL: set DATABASE_URL.
FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin accessledger
COPY --from=build /out/accessledger /usr/local/bin/accessledger
USER accessledger
ENV ACCESSLEDGER_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["accessledger"]
CMD ["serve"]
