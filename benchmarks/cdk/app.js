// The uploadtrail dev stack as a plain JavaScript CDK app, for `python -m benchmarks --with-cdk`.
// It mirrors the troposphere template: table, TLS-only private bucket with auto-delete, logger
// function on arm64 with JSON logs in its own log group, dead-letter queue, S3 notification.
const path = require("path");
const cdk = require("aws-cdk-lib");
const dynamodb = require("aws-cdk-lib/aws-dynamodb");
const lambda = require("aws-cdk-lib/aws-lambda");
const logs = require("aws-cdk-lib/aws-logs");
const s3 = require("aws-cdk-lib/aws-s3");
const s3n = require("aws-cdk-lib/aws-s3-notifications");
const sqs = require("aws-cdk-lib/aws-sqs");

class UploadTrailStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const destroy = cdk.RemovalPolicy.DESTROY;
    const table = new dynamodb.Table(this, "InvocationLogTable", {
      partitionKey: { name: "requestId", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "timestamp", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: destroy,
    });
    const bucket = new s3.Bucket(this, "UploadsBucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: destroy,
      autoDeleteObjects: true,
    });
    const deadLetterQueue = new sqs.Queue(this, "InvocationLoggerDeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: cdk.Duration.days(14),
      removalPolicy: destroy,
    });
    const logGroup = new logs.LogGroup(this, "InvocationLoggerLogGroup", {
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: destroy,
    });
    const logger = new lambda.Function(this, "InvocationLoggerFunction", {
      runtime: lambda.Runtime.PYTHON_3_13,
      architecture: lambda.Architecture.ARM_64,
      handler: "function.handler.handler",
      code: lambda.Code.fromAsset(path.join(__dirname, "..", "..", "function")),
      environment: { TABLE_NAME: table.tableName, LOG_LEVEL: "INFO" },
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      deadLetterQueue,
      timeout: cdk.Duration.seconds(30),
      memorySize: 256,
    });
    table.grantWriteData(logger);
    bucket.grantRead(logger);
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(logger));
    new cdk.CfnOutput(this, "BucketName", { value: bucket.bucketName, exportName: `${id}-BucketName` });
    new cdk.CfnOutput(this, "DynamoDBTableName", { value: table.tableName, exportName: `${id}-DynamoDBTableName` });
    new cdk.CfnOutput(this, "LambdaFunctionName", { value: logger.functionName, exportName: `${id}-LambdaFunctionName` });
  }
}

const app = new cdk.App();
new UploadTrailStack(app, "uploadtrail-dev");
app.synth();
