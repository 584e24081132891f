# The jobq command (workers, the HTTP API, monitor, operations) as an image: docker build -t jobq .
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 jobq
COPY --from=build /src/queue-cli/target/jobq.jar /app/jobq.jar
USER jobq
ENTRYPOINT ["java", "-jar", "/app/jobq.jar"]
CMD ["--help"]
