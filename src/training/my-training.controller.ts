import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, May } from '../common/access.decorators.js';
import type { Actor } from '../common/actor.js';
import { ApiProblems } from '../common/openapi.js';
import { ListOf, type List } from '../common/pagination.js';
import { uuidParam } from '../staff/uuid-param.js';
import {
  CertificateView,
  CompleteEnrolmentDto,
  MyEnrolmentDetailView,
  MyEnrolmentView,
  MyTrainingQuery,
  QuizAttemptDto,
  QuizAttemptResultView,
} from './dto/my-training.dto.js';
import { MyTrainingService } from './my-training.service.js';
import { TRAINING } from './training.permissions.js';

const NOT_YOURS = 'No such enrolment of yours — someone else’s is not found either (ENROLMENT_NOT_FOUND)';

/** わたしの研修: one's own enrolments — read the material, take the quiz, acknowledge, print the certificate. */
@ApiTags('training')
@Controller('api/v1/training')
export class MyTrainingController {
  constructor(private readonly myTraining: MyTrainingService) {}

  @Get('me')
  @May(TRAINING.take)
  @ApiOperation({ summary: 'My enrolments: open ones first, soonest due; then completed, exempt and withdrawn ones' })
  @ApiOkResponse({ type: ListOf(MyEnrolmentView) })
  @ApiProblems({ 400: 'fiscalYear is wrong (VALIDATION_FAILED)' })
  list(@CurrentActor() actor: Actor, @Query() query: MyTrainingQuery): Promise<List<MyEnrolmentView>> {
    return this.myTraining.list(actor, query);
  }

  @Get('enrolments/:id')
  @May(TRAINING.take)
  @ApiOperation({ summary: 'One of my enrolments with the material, its attachments, the quiz (without its answers) and the statement to acknowledge' })
  @ApiOkResponse({ type: MyEnrolmentDetailView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: NOT_YOURS })
  detail(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<MyEnrolmentDetailView> {
    return this.myTraining.detail(actor, id);
  }

  @Post('enrolments/:id/quiz-attempts')
  @May(TRAINING.take)
  @ApiOperation({
    summary:
      'Take the quiz: the attempt is scored in percent against the pass mark and counted; the right answers are not revealed. Once the course is completed nothing is recorded (200, `recorded: false`)',
  })
  @ApiCreatedResponse({ type: QuizAttemptResultView, description: 'the attempt recorded' })
  @ApiOkResponse({ type: QuizAttemptResultView, description: 'the course was completed already: nothing recorded' })
  @ApiProblems({
    400: 'answers is not a map of question ids to choice ids (VALIDATION_FAILED), or names a question or choice the quiz does not have, or leaves a question unanswered (QUIZ_ANSWERS_INVALID, field `answers.<questionId>`)',
    404: NOT_YOURS,
    409: 'The course has no quiz (COURSE_HAS_NO_QUIZ), no attempts are left (QUIZ_NO_ATTEMPTS_LEFT), the enrolment is exempt or withdrawn (ENROLMENT_NOT_OPEN), the course is closed (COURSE_NOT_PUBLISHED) or not open yet (ENROLMENT_NOT_YET_OPEN)',
  })
  async attempt(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: QuizAttemptDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<QuizAttemptResultView> {
    const result = await this.myTraining.attempt(actor, id, dto.answers);
    res.status(result.recorded ? 201 : 200);
    return result;
  }

  @Post('enrolments/:id/complete')
  @HttpCode(200)
  @May(TRAINING.take)
  @ApiOperation({
    summary:
      'Complete my enrolment: acknowledged must be true; a course with a quiz needs a passed attempt (or answers given here, recorded as an attempt: failing ones count as an attempt and are answered 409 with the score). Completing twice answers the first completion again',
  })
  @ApiOkResponse({ type: MyEnrolmentView })
  @ApiProblems({
    400: 'acknowledged is not true (ACKNOWLEDGEMENT_REQUIRED, field `acknowledged`), a field is wrong (VALIDATION_FAILED), the answers do not fit the quiz (QUIZ_ANSWERS_INVALID)',
    404: NOT_YOURS,
    409: 'The quiz is not passed (QUIZ_NOT_PASSED; answers given here are recorded as an attempt and its `score` and `attemptsLeft` told), no attempts are left (QUIZ_NO_ATTEMPTS_LEFT), the enrolment is exempt or withdrawn (ENROLMENT_NOT_OPEN), the course is closed (COURSE_NOT_PUBLISHED) or not open yet (ENROLMENT_NOT_YET_OPEN)',
  })
  complete(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: CompleteEnrolmentDto): Promise<MyEnrolmentView> {
    return this.myTraining.complete(actor, id, dto);
  }

  @Get('enrolments/:id/certificate')
  @May(TRAINING.take)
  @ApiOperation({ summary: 'The certificate of my completion (受講証明): person, department at completion, course, when, the statement signed, score' })
  @ApiOkResponse({ type: CertificateView })
  @ApiProblems({ 400: 'id is not a UUID (VALIDATION_FAILED)', 404: NOT_YOURS, 409: 'Not completed (ENROLMENT_NOT_COMPLETED)' })
  certificate(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<CertificateView> {
    return this.myTraining.certificate(actor, id);
  }
}
